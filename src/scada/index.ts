// The SCADA subsystem's public surface: the server, the register map and its renderings.
export { startScadaServer, type ScadaServer, type ScadaServerOptions, type ScadaStats } from './server.js';
export { REGISTERS, MAP_VERSION, type RegisterDef } from './map.js';
export { renderRegisters, readmeRegisterSection, withRegisterSection, README_START, README_END, type RegisterFormat } from './render.js';
export { COMMAND_CODES, SCADA_TEST_DURATION_MS } from './commands.js';
