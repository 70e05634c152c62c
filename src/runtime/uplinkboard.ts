// On real hardware the uplink driver (carrier, probes, routes) sits beside the board's drivers:
// this joins them into one Board so the scan loop still sees a single input and output port.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { carrierSignal, ROUTE_FAULT_SIGNAL } from '../core/signals.js';
import type { Reading, SignalName } from '../core/types.js';
import type { Board } from '../io/ports.js';

/** With `simulated`, only the uplinks that name an interface are real; the board simulates the rest. */
export async function withUplinkDriver(board: Board, cfg: Config, logger: Logger, simulated = false): Promise<Board> {
  if (!cfg.uplinks.enabled || !cfg.uplinks.links.some((l) => l.interface)) return board;
  // Beside a simulated cabinet, the cabinet's readings and probes of the real uplinks are dropped.
  const real = simulated ? cfg.uplinks.links.filter((l) => l.interface) : cfg.uplinks.links;
  const { createUplinkDriver } = await import('../drivers/uplink/index.js');
  const up = createUplinkDriver({ cfg: { ...cfg.uplinks, links: real }, logger: logger.child({ subsystem: 'uplink' }) });
  const realIds = new Set(real.map((l) => l.id));
  const ours = (p: { uplink: string }) => !realIds.has(p.uplink);
  const joined: Board = {
    name: `${board.name}+uplinks`,
    inputs: [...new Set<SignalName>([...board.inputs, ...real.map((l) => carrierSignal(l.id)), ROUTE_FAULT_SIGNAL])],
    outputs: board.outputs,
    read(nowMs) {
      const m = new Map<SignalName, Reading>(board.read(nowMs));
      for (const [k, v] of up.read(nowMs)) m.set(k, v);
      return m;
    },
    takeProbes: (nowMs) => [...(board.takeProbes?.(nowMs) ?? []).filter(ours), ...up.takeProbes(nowMs)],
    write(image, nowMs) {
      board.write(image, nowMs);
      up.write(image, nowMs);
    },
    async close() {
      await up.close();
      await board.close();
    },
  };
  // A kernel link event (carrier) wakes the scan like a board's input edge does.
  joined.onInputChange = (l) => {
    const offs = [board.onInputChange?.(l), up.onInputChange(l)];
    return () => offs.forEach((off) => off?.());
  };
  joined.stats = () => ({ ...(board.stats?.() ?? {}), ...up.stats() });
  joined.texts = () => up.texts();
  return joined;
}
