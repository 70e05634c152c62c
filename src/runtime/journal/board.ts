// Tells the core about storage the way drivers tell it about the plant: as an input signal
// (`storage.fault`), so the STORAGE_FAULT alarm is decided in the pure core like every other alarm.
import { STORAGE_FAULT_SIGNAL } from '../../core/signals.js';
import type { Reading, SignalName } from '../../core/types.js';
import type { Board } from '../../io/ports.js';

export function withStorageInput(board: Board, faulty: () => boolean): Board {
  const joined: Board = {
    name: board.name,
    inputs: [...board.inputs, STORAGE_FAULT_SIGNAL],
    outputs: board.outputs,
    read(nowMs) {
      const m = new Map<SignalName, Reading>(board.read(nowMs));
      m.set(STORAGE_FAULT_SIGNAL, { value: faulty(), ageMs: 0 });
      return m;
    },
    write: (image, nowMs) => board.write(image, nowMs),
    close: () => board.close(),
  };
  if (board.takeProbes) joined.takeProbes = (nowMs) => board.takeProbes?.(nowMs) ?? [];
  if (board.onInputChange) joined.onInputChange = (l) => board.onInputChange?.(l) ?? (() => undefined);
  if (board.stats) joined.stats = () => board.stats?.() ?? {};
  return joined;
}
