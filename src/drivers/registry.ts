// THE table of hardware drivers. A driver is one folder that exports a DriverPlugin (its board-file
// section, signal keys, resolution and open()) and one entry here; its key is both the `driver:`
// value and the name of its section in a board file. Table order is the order of the board-file
// sections and of the drivers named in messages.
import { firmataDriver } from './firmata/index.js';
import { gpioDriver } from './gpio/index.js';
import { modbusDriver } from './modbus/index.js';
import { nutDriver } from './nut/index.js';

export const DRIVERS = {
  gpio: gpioDriver,
  firmata: firmataDriver,
  modbus: modbusDriver,
  nut: nutDriver,
} as const;

export type DriverName = keyof typeof DRIVERS;
type Plugins = typeof DRIVERS;

/** The test seams of every driver, by name (device libraries to use instead of the real ones). */
export type DriverDeps = { readonly [K in DriverName]?: Plugins[K] extends { open(s: never, ctx: { deps: infer D }): unknown } ? D : never };
