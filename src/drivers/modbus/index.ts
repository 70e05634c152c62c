// The Modbus driver plug-in (modbus-serial): meters, UPS cards and I/O modules on RS-485 or Modbus
// TCP buses; polled registers and bits in, coils out. modbus-serial loads only in open().
import { pick, type DriverPlugin } from '../plugin.js';
import { beginModbus, MODBUS_KEYS, modbusSectionSchema, type ModbusSection } from './board.js';
import type { ModbusDeps } from './master.js';

export type { ModbusSection, ModbusSignal } from './board.js';

export const modbusDriver: DriverPlugin<ModbusSection, Partial<Omit<ModbusDeps, 'logger'>>> = {
  section: modbusSectionSchema,
  signalKeys: MODBUS_KEYS,
  begin: beginModbus,
  used: (s): s is ModbusSection => s.signals.length > 0,
  only: (s, keep) => ({ ...s, signals: pick(s.signals, keep) }),
  async open(section, { logger, deps }) {
    const { openModbus } = await import('./master.js');
    return openModbus(section, { ...deps, logger });
  },
};
