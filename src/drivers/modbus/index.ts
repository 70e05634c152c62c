// The Modbus RTU driver plug-in (modbus-serial over serialport): meters and UPS registers polled
// on RS-485. modbus-serial loads only in open(). Outputs on Modbus are not supported (yet).
import { pick, type DriverPlugin } from '../plugin.js';
import { beginModbus, MODBUS_KEYS, modbusSectionSchema, type ModbusSection } from './board.js';
import type { ModbusDeps } from './rtu.js';

export type { ModbusSection, ModbusSignal } from './board.js';

export const modbusDriver: DriverPlugin<ModbusSection, Partial<Omit<ModbusDeps, 'logger'>>> = {
  section: modbusSectionSchema,
  signalKeys: MODBUS_KEYS,
  noOutputs: 'outputs cannot be Modbus registers yet',
  begin: beginModbus,
  used: (s): s is ModbusSection => s.signals.length > 0,
  only: (s, keep) => ({ ...s, signals: pick(s.signals, keep) }),
  async open(section, { logger, deps }) {
    const { openModbus } = await import('./rtu.js');
    return openModbus(section, { ...deps, logger });
  },
};
