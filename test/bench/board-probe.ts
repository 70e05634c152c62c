// Preloaded into the measured `twinfeed run` (node --import) by the board bench: answers the bench's
// "mem" message over the IPC channel with its CPU time, RSS and V8 heap (after a full GC when --expose-gc is given).
// It adds no timer and keeps no reference to the controller; the channel is unref'd so it never
// holds the process open. When the bench dies (SIGKILL, a crash, a killed terminal) the channel closes and
// the child stops itself with SIGTERM, so no `twinfeed plant` or `twinfeed run` is left orphaned.
import { writeHeapSnapshot } from 'node:v8';

interface MemAnswer {
  readonly cpuUs: number;
  readonly rssB: number;
  readonly heapUsedB: number;
  readonly heapTotalB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (typeof process.send === 'function') {
  process.on('message', (m: unknown) => {
    // { snapshot: path }: a V8 heap snapshot there (for diffing two of them, e.g. early and late in a soak).
    if (typeof m === 'object' && m !== null && typeof (m as { snapshot?: unknown }).snapshot === 'string') {
      process.send?.({ snapshot: writeHeapSnapshot((m as { snapshot: string }).snapshot) });
      return;
    }
    if (m !== 'mem') return;
    // CPU and RSS first, so the GC this answer asks for is in neither.
    const cpu = process.cpuUsage();
    const rssB = process.memoryUsage.rss();
    gc?.();
    const u = process.memoryUsage();
    const answer: MemAnswer = { cpuUs: cpu.user + cpu.system, rssB, heapUsedB: u.heapUsed, heapTotalB: u.heapTotal };
    process.send?.(answer);
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}
