// The real-time scan loop: read all inputs → step → write the full image → publish. It wakes on the
// core's next deadline, a queued command or the scan period, whichever is first. Readers (SCADA, HTTP)
// only see the published snapshot; their commands wait in a queue for the next scan.
import type { Config } from '../config/schema.js';
import { initialState, step } from '../core/controller.js';
import type { ControllerState } from '../core/state.js';
import { statusOf } from '../core/status.js';
import { withDriverTexts } from './drivertexts.js';
import type { ControllerEvent, Request } from '../core/types.js';
import type { Board } from '../io/ports.js';
import type { CommandOutcome, ControllerPort, Published } from '../io/controller-port.js';

export interface ScanLoopOptions {
  readonly config: Config;
  readonly configHash: string;
  readonly board: Board;
  readonly clock?: () => number;
  /** Called after every scan with its events (logging, journal, metrics). */
  readonly onScan?: (events: readonly ControllerEvent[], published: Published, scanMs: number) => void;
  /** Puts remembered state into the fresh one before the first scan (src/core/memory.ts). */
  readonly restore?: (fresh: ControllerState, nowMs: number) => ControllerState;
  /** Called after every scan with the new state (persistence keeps what must survive a restart). */
  readonly onState?: (state: ControllerState) => void;
}

export interface ScanLoop extends ControllerPort {
  start(): void;
  stop(): void;
  /** Runs one scan now (tests, and the HTTP /sim endpoint so a knob shows at once). */
  scanNow(): void;
  readonly scans: number;
}

interface Pending {
  readonly request: Request;
  readonly resolve: (o: CommandOutcome) => void;
}

export function createScanLoop(o: ScanLoopOptions): ScanLoop {
  const clock = o.clock ?? Date.now;
  const startMs = clock();
  let state: ControllerState = initialState(o.config, startMs);
  if (o.restore) state = o.restore(state, startMs);
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let scans = 0;
  let published: Published = {
    status: statusOf(o.config, state, startMs),
    scanSeq: 0,
    atMs: startMs,
    uptimeS: 0,
    configHash: o.configHash,
  };
  const uplinkIds = o.config.uplinks.links.map((l) => l.id);
  const listeners = new Set<(events: readonly ControllerEvent[], atMs: number) => void>();

  const scan = () => {
    const t0 = performance.now();
    const now = clock();
    const batch = queue;
    queue = [];
    const snap = { nowMs: now, inputs: o.board.read(now), probes: o.board.takeProbes?.(now) ?? [] };
    const r = step(
      o.config,
      state,
      snap,
      batch.map((p) => p.request),
    );
    state = r.state;
    o.board.write(r.outputs, now);
    o.onState?.(state);
    scans++;
    published = {
      status: withDriverTexts(statusOf(o.config, state, now), uplinkIds, o.board.texts?.()),
      scanSeq: published.scanSeq + 1,
      atMs: now,
      uptimeS: Math.floor((now - startMs) / 1000),
      configHash: o.configHash,
    };
    // The core returns one verdict per request, in request order.
    batch.forEach((p, i) => {
      const v = r.verdicts[i];
      p.resolve(v ? { accepted: v.accepted, ...(v.reason !== undefined ? { reason: v.reason } : {}) } : { accepted: false, reason: 'not processed' });
    });
    o.onScan?.(r.events, published, performance.now() - t0);
    for (const l of listeners) l(r.events, now);
    return r.nextDeadlineMs;
  };

  const schedule = (deadline: number | undefined) => {
    if (!running) return;
    const period = o.config.runtime.scanPeriodMs;
    const wait = deadline === undefined ? period : Math.max(0, Math.min(period, deadline - clock()));
    timer = setTimeout(tick, wait);
  };
  const tick = () => {
    timer = undefined;
    let next: number | undefined;
    try {
      next = scan();
    } finally {
      schedule(next);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const p of queue) p.resolve({ accepted: false, reason: 'controller stopping' });
      queue = [];
    },
    scanNow() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      schedule(scan());
    },
    latest: () => published,
    submit(command, origin) {
      return new Promise<CommandOutcome>((resolve) => {
        if (!running) {
          resolve({ accepted: false, reason: 'controller not running' });
          return;
        }
        queue.push({ request: { command, origin }, resolve });
        // Commands are handled on the next scan, soon but never inside the caller's stack.
        if (timer) clearTimeout(timer);
        timer = setTimeout(tick, 0);
      });
    },
    onEvents(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get scans() {
      return scans;
    },
  };
}
