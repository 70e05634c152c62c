// The Pi-class figures of one board run (board-harness.ts): cold start to the first output image,
// RSS and V8 heap after start and after `minutes` of one outage a minute in real time, and the
// controller process's CPU time per scan. Shared by `npm run bench -- board-pi` (a few minutes) and the
// soak script board-soak.ts (`--minutes 60`).
import { sleep, startBoardRun, type Mem } from './board-harness.js';

export type Emit = (name: string, value: number, unit: string) => void;
export type Progress = (line: Record<string, number | string>) => void;

const MiB = 1024 * 1024;
const OUTAGE_MS = 20_000;
const SETTLE_MS = 10_000;
const NOMINAL_V = 230;
/** The shipped example config's scan period. */
const SCAN_PERIOD_MS = 100;

function cpuFigures(emit: Emit, from: { mem: Mem; scans: number }, to: { mem: Mem; scans: number }): void {
  const perScanUs = (to.mem.cpuUs - from.mem.cpuUs) / (to.scans - from.scans);
  emit('board.cpu.per_scan', perScanUs, 'µs of process CPU time (user+system) per scan, drivers, journal and HTTP included');
  emit('board.cpu.busy_at_100ms', (100 * perScanUs) / (SCAN_PERIOD_MS * 1000), '% of one core at the 100 ms scan period');
  // Headroom: the shortest period at which the same work per scan would still leave half a core idle.
  emit('board.scan_period.min_at_half_core', (2 * perScanUs) / 1000, 'ms (this machine; scale by the board core speed)');
}

/** Runs the board for `minutes` minutes of outages and emits its figures; `progress` gets one line a minute. */
export async function measureBoard(minutes: number, emit: Emit, progress: Progress = () => {}): Promise<void> {
  const run = await startBoardRun();
  try {
    const first = await Promise.race([run.firstWrite, sleep(60_000).then(() => NaN)]);
    emit('board.cold_start.first_output', first - run.spawnedAtMs, 'ms from spawn to the first coil write reaching the plant');
    // Where that time goes: process start and module loading end about when the driver connects.
    emit('board.cold_start.first_connect', (await run.firstConnect) - run.spawnedAtMs, 'ms from spawn to the Modbus TCP connection');
    await run.scans(); // HTTP answers
    await sleep(SETTLE_MS);
    const start = { mem: await run.mem(), scans: await run.scans() };
    emit('board.start.rss', start.mem.rssB / MiB, 'MiB, 10 s after start');
    emit('board.start.heap_used', start.mem.heapUsedB / MiB, 'MiB V8 heap after GC, 10 s after start');
    const t0 = performance.now();
    let last = start;
    for (let m = 1; m <= minutes; m++) {
      await run.feedA(0);
      await sleep(OUTAGE_MS);
      await run.feedA(NOMINAL_V);
      await sleep(Math.max(0, t0 + m * 60_000 - performance.now()));
      last = { mem: await run.mem(), scans: await run.scans() };
      const s = await run.summary();
      progress({
        minute: m,
        rssMiB: last.mem.rssB / MiB,
        heapUsedMiB: last.mem.heapUsedB / MiB,
        cpuPerScanUs: (last.mem.cpuUs - start.mem.cpuUs) / (last.scans - start.scans),
        transfers: Number(s.transfers),
        interlockViolations: Number(s.interlockViolations),
        // Between outages: none expected, a STORAGE_FAULT or lockout here would make the figures moot.
        alarms: String((await run.status()).alarms),
      });
    }
    const s = await run.summary();
    emit('board.outages.minutes', minutes, 'min of real time, one 20 s outage of feed A a minute');
    emit('board.outages.rss', last.mem.rssB / MiB, `MiB after ${minutes} min`);
    emit('board.outages.heap_used', last.mem.heapUsedB / MiB, `MiB V8 heap after GC after ${minutes} min`);
    emit('board.outages.rss_growth', (last.mem.rssB - start.mem.rssB) / MiB, 'MiB');
    emit('board.outages.transfers', Number(s.transfers), 'transfers the plant saw (2 per outage expected)');
    emit('board.outages.interlock_violations', Number(s.interlockViolations), 'both breakers closed (plant)');
    emit('board.scans', last.scans - start.scans, 'scans measured');
    cpuFigures(emit, start, last);
  } finally {
    await run.close();
  }
}
