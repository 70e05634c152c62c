// The Firmata driver plug-in (an Arduino running StandardFirmata, through johnny-five): johnny-five,
// Firmata.js and serialport load only in open(), so a cabinet without an Arduino never loads them.
import { pick, type DriverPlugin } from '../plugin.js';
import { beginFirmata, FIRMATA_KEYS, firmataSectionSchema, type FirmataSection } from './board.js';
import type { FirmataDeps } from './driver.js';

export type { FirmataSection } from './board.js';

export const firmataDriver: DriverPlugin<FirmataSection | undefined, Partial<Omit<FirmataDeps, 'logger'>>> = {
  section: firmataSectionSchema,
  signalKeys: FIRMATA_KEYS,
  begin: beginFirmata,
  used: (s): s is FirmataSection => s !== undefined && (s.signals.length > 0 || s.analog.length > 0),
  only: (s, keep) => s && { ...s, signals: pick(s.signals, keep), analog: pick(s.analog, keep) },
  async open(section, { logger, deps }) {
    const { openFirmata } = await import('./driver.js');
    return openFirmata(section, { ...deps, logger });
  },
};
