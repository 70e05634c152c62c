// Tells the core about a part of the runtime the way drivers tell it about the plant: as one more
// input signal on the board (`storage.fault`, `sparkplug.fault`), so its alarm is decided in the pure
// core like every other. Everything else the board offers passes through unchanged.
import type { Reading, SignalName } from '../core/types.js';
import type { Board } from './ports.js';

export function withRuntimeInput(board: Board, signal: SignalName, faulty: () => boolean): Board {
  const joined: Board = {
    name: board.name,
    inputs: [...board.inputs, signal],
    outputs: board.outputs,
    read(nowMs) {
      const m = new Map<SignalName, Reading>(board.read(nowMs));
      m.set(signal, { value: faulty(), ageMs: 0 });
      return m;
    },
    write: (image, nowMs) => board.write(image, nowMs),
    close: () => board.close(),
  };
  if (board.takeProbes) joined.takeProbes = (nowMs) => board.takeProbes?.(nowMs) ?? [];
  if (board.onInputChange) joined.onInputChange = (l) => board.onInputChange?.(l) ?? (() => undefined);
  if (board.stats) joined.stats = () => board.stats?.() ?? {};
  if (board.texts) joined.texts = () => board.texts?.() ?? {};
  return joined;
}
