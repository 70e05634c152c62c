// Tells the core about the Sparkplug uplink the way the journal tells it about storage: an input
// signal (`sparkplug.fault`), so SPARKPLUG_FAULT is decided in the pure core like every other alarm.
import { SPARKPLUG_FAULT_SIGNAL } from '../core/signals.js';
import type { Reading, SignalName } from '../core/types.js';
import type { Board } from '../io/ports.js';

export function withSparkplugInput(board: Board, faulty: () => boolean): Board {
  const joined: Board = {
    name: board.name,
    inputs: [...board.inputs, SPARKPLUG_FAULT_SIGNAL],
    outputs: board.outputs,
    read(nowMs) {
      const m = new Map<SignalName, Reading>(board.read(nowMs));
      m.set(SPARKPLUG_FAULT_SIGNAL, { value: faulty(), ageMs: 0 });
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
