// The core's safety properties over 1 000 000 random sequences of plant faults and commands (the same
// generator and checks as test/core/properties.test.ts, which runs ~11 000 in `npm test`), split over
// worker threads. Bounded in count and time: BENCH_PROPERTY_RUNS (1e6) and BENCH_PROPERTY_MAX_S (2400).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runProperties } from '../core/property-harness.js';

type Emit = (name: string, value: number, unit: string) => void;
const CHUNK = 2000;

interface Job {
  readonly seed: number;
  readonly runs: number;
  readonly deadlineMs: number;
}
interface Report {
  readonly checked: number;
  readonly failures: string[];
}

function work(job: Job): Report {
  let checked = 0;
  const failures: string[] = [];
  for (let i = 0; checked < job.runs && Date.now() < job.deadlineMs; i++) {
    const n = Math.min(CHUNK, job.runs - checked);
    const r = runProperties({ numRuns: n, seed: job.seed * 1_000_003 + i });
    checked += r.numRuns;
    if (r.failed) {
      failures.push(String(r.counterexample?.[0] ? JSON.stringify(r.counterexample[0]).slice(0, 400) : r.errorInstance));
      break;
    }
  }
  return { checked, failures };
}

if (!isMainThread && parentPort) parentPort.postMessage(work(workerData as Job));

export async function bench(emit: Emit): Promise<void> {
  const total = Number(process.env.BENCH_PROPERTY_RUNS ?? 1_000_000);
  const maxS = Number(process.env.BENCH_PROPERTY_MAX_S ?? 2400);
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const deadlineMs = Date.now() + maxS * 1000;
  const t0 = performance.now();
  const reports = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const job: Job = { seed: i + 1, runs: Math.ceil(total / threads), deadlineMs };
      return new Promise<Report>((resolve, reject) => {
        const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
        w.once('message', resolve);
        w.once('error', reject);
      });
    }),
  );
  const checked = reports.reduce((a, r) => a + r.checked, 0);
  const failures = reports.flatMap((r) => r.failures);
  for (const f of failures) process.stderr.write(`property failure: ${f}\n`);
  emit('properties.sequences_checked', checked, 'sequences');
  emit('properties.failures', failures.length, 'sequences');
  emit('properties.rate', checked / ((performance.now() - t0) / 1000), 'sequences/s');
}
