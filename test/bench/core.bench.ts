// Core and simulator figures: simulated-time speed of a 30-day cabinet with one outage a day, and
// the cost of one step() in µs (steady state, and during a transfer).
import { loadConfig } from '../../src/config/load.js';
import { initialState, step } from '../../src/core/controller.js';
import type { Reading, SignalName } from '../../src/core/types.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';

type Emit = (name: string, value: number, unit: string) => void;
const DAY_MS = 86_400_000;

export function thirtyDayScenario(days = 30) {
  const steps = [];
  for (let d = 0; d < days; d++) {
    steps.push({ at: d * DAY_MS + 10 * 3_600_000, set: { 'feed.A.voltage': 0 } });
    steps.push({ at: d * DAY_MS + 10 * 3_600_000 + 30 * 60_000, set: { 'feed.A.voltage': 230 } });
  }
  return parseScenario({ name: `${days}-day cabinet, one 30 min outage a day`, duration: days * DAY_MS, steps }, 'bench');
}

function stepCostUs(iterations: number, voltage: (i: number) => number): number {
  const cfg = loadConfig(undefined).config;
  let state = initialState(cfg, 0);
  const inputs = new Map<SignalName, Reading>([
    ['breaker.A.closedFb', { value: true, ageMs: 0 }],
    ['breaker.B.closedFb', { value: false, ageMs: 0 }],
    ['feed.A.frequency', { value: 50, ageMs: 0 }],
    ['feed.B.voltage', { value: 0, ageMs: 0 }],
    ['feed.B.frequency', { value: 0, ageMs: 0 }],
    ['ups.onBattery', { value: false, ageMs: 0 }],
    ['ups.chargePct', { value: 100, ageMs: 0 }],
    ['psu.1.ok', { value: true, ageMs: 0 }],
    ['psu.2.ok', { value: true, ageMs: 0 }],
    ['psu.3.ok', { value: true, ageMs: 0 }],
  ]);
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    inputs.set('feed.A.voltage', { value: voltage(i), ageMs: 0 });
    state = step(cfg, state, { nowMs: i * 100, inputs }, []).state;
  }
  return ((performance.now() - t0) * 1000) / iterations;
}

export async function bench(emit: Emit): Promise<void> {
  const s = thirtyDayScenario(30);
  const t0 = performance.now();
  // Heap in use at the end of each scan, at its highest: bounded by how long probe results may wait.
  let peakHeap = 0;
  const r = runScenario(s, { keepEvents: false, onState: () => void (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)) });
  const wallMs = performance.now() - t0;
  emit('sim.30day.wall', wallMs / 1000, 's');
  emit('sim.30day.speedup', s.duration / wallMs, 'x real time');
  emit('sim.30day.scans', r.scans, 'scans');
  emit('sim.30day.peakHeap', peakHeap / 1e6, 'MB');
  emit('sim.30day.transfers', Number(r.summary.transfers), 'transfers');
  emit('sim.30day.interlockViolations', Number(r.summary.interlockViolations), 'count');
  stepCostUs(20_000, () => 230); // warm-up
  emit(
    'core.step.steady',
    stepCostUs(200_000, () => 230),
    'µs/step',
  );
  // Voltage toggling every 50 scans keeps the health timers busy (pending → cleared → pending).
  emit(
    'core.step.busy',
    stepCostUs(200_000, (i) => (Math.floor(i / 50) % 2 === 0 ? 230 : 150)),
    'µs/step',
  );
}
