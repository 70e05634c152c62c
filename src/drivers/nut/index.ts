// The NUT driver plug-in: a UPS read from upsd (Network UPS Tools) over TCP. Its client uses only
// node:net, loaded in open(). It reads and drives nothing: outputs cannot be NUT variables.
import { pick, type DriverPlugin } from '../plugin.js';
import { beginNut, NUT_KEYS, nutSectionSchema, type NutSection } from './board.js';
import type { NutDeps } from './driver.js';

export type { NutSection } from './board.js';

export const nutDriver: DriverPlugin<NutSection | undefined, Partial<Omit<NutDeps, 'logger'>>> = {
  section: nutSectionSchema,
  signalKeys: NUT_KEYS,
  noOutputs: 'outputs cannot be NUT variables',
  begin: beginNut,
  used: (s): s is NutSection => s !== undefined && s.signals.length > 0,
  only: (s, keep) => s && { ...s, signals: pick(s.signals, keep) },
  async open(section, { logger, deps }) {
    const { openNut } = await import('./driver.js');
    return openNut(section, { ...deps, logger });
  },
};
