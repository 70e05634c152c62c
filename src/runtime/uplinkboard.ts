// On real hardware the uplink driver (carrier, probes, routes) sits beside the board's drivers:
// this joins them into one Board so the scan loop still sees a single input and output port.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { carrierSignal, ROUTE_FAULT_SIGNAL } from '../core/signals.js';
import type { Reading, SignalName } from '../core/types.js';
import type { Board } from '../io/ports.js';

export async function withUplinkDriver(board: Board, cfg: Config, logger: Logger): Promise<Board> {
  if (!cfg.uplinks.enabled || !cfg.uplinks.links.some((l) => l.interface)) return board;
  const { createUplinkDriver } = await import('../drivers/uplink/index.js');
  const up = createUplinkDriver({ cfg: cfg.uplinks, logger: logger.child({ subsystem: 'uplink' }) });
  const joined: Board = {
    name: `${board.name}+uplinks`,
    inputs: [...board.inputs, ...cfg.uplinks.links.map((l) => carrierSignal(l.id)), ROUTE_FAULT_SIGNAL],
    outputs: board.outputs,
    read(nowMs) {
      const m = new Map<SignalName, Reading>(board.read(nowMs));
      for (const [k, v] of up.read(nowMs)) m.set(k, v);
      return m;
    },
    takeProbes: (nowMs) => [...(board.takeProbes?.(nowMs) ?? []), ...up.takeProbes(nowMs)],
    write(image, nowMs) {
      board.write(image, nowMs);
      up.write(image, nowMs);
    },
    async close() {
      await up.close();
      await board.close();
    },
  };
  if (board.onInputChange) joined.onInputChange = (l) => board.onInputChange?.(l) ?? (() => undefined);
  if (board.stats) joined.stats = () => board.stats?.() ?? {};
  return joined;
}
