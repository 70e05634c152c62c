// The simulated cabinet passes the same Board contract as the hardware drivers.
import { validateConfig } from '../../src/config/load.js';
import { createSimBoard } from '../../src/runtime/simboard.js';
import { boardContract } from './board-contract.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const cfg = validateConfig({ uplinks: { enabled: false } }, 'test');

boardContract('sim board', async () => {
  const clock = { t: T0 };
  const board = createSimBoard(cfg, T0);
  const { cabinet } = board;
  // The plant knows nothing of "never driven": note the images it is given.
  let last: ReadonlyMap<string, boolean> | undefined;
  const write = cabinet.write.bind(cabinet);
  cabinet.write = (image, nowMs) => {
    last = new Map(image);
    write(image, nowMs);
  };
  const plant = (name: string): boolean | undefined => {
    const s = cabinet.state;
    if (name === 'breaker.A.closeCmd') return s.breakers.A.coil;
    if (name === 'breaker.B.closeCmd') return s.breakers.B.coil;
    if (name === 'generator.start') return s.generator.startSignal;
    return last?.get(name);
  };
  return {
    board,
    input: 'feed.A.voltage',
    staleAfterMs: cfg.power.meterStaleMs,
    now: () => clock.t,
    advance: async (ms) => void (clock.t += ms),
    silence: () => void cabinet.set('meter.A.comm', false, clock.t),
    hardware: () => new Map(board.outputs.map((o) => [o, last === undefined ? undefined : plant(o)])),
  };
});
