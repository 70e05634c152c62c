// Persistent state: how often the state file is written (at most once a second, only when what is
// remembered changed) in a simulated day of an idle cabinet and of one with an outage every hour,
// and the cost of the per-scan check that decides it.
import { remembered } from '../../src/core/memory.js';
import type { ControllerState } from '../../src/core/state.js';
import { runScenario, scenarioConfig } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';

type Emit = (name: string, value: number, unit: string) => void;
const DAY_MS = 86_400_000;
const MIN_INTERVAL_MS = 1000; // the store's default

function day(outagesPerHour: number) {
  const steps = [];
  for (let h = 0; h < 24 && outagesPerHour > 0; h++) {
    steps.push({ at: h * 3_600_000 + 600_000, set: { 'feed.A.voltage': 0 } });
    steps.push({ at: h * 3_600_000 + 1_200_000, set: { 'feed.A.voltage': 230 } });
  }
  return parseScenario({ name: `a day, ${outagesPerHour} outage(s) an hour`, duration: DAY_MS, steps }, 'bench');
}

/** Writes the store would make: a change is written at once, or coalesced to MIN_INTERVAL_MS after the last write. */
function writesPerDay(outagesPerHour: number): { writes: number; changes: number } {
  const s = day(outagesPerHour);
  const cfg = scenarioConfig(s, undefined);
  let lastJson = '';
  let last: ControllerState | null = null;
  let lastWrite = -Infinity;
  let pending = false;
  let writes = 0;
  let changes = 0;
  runScenario(s, {
    keepEvents: false,
    onState(st, now) {
      if (pending && now >= lastWrite + MIN_INTERVAL_MS) [writes, lastWrite, pending] = [writes + 1, lastWrite + MIN_INTERVAL_MS, false];
      if (last && last.power === st.power && last.alarms === st.alarms && last.uplink === st.uplink && last.relayOperations === st.relayOperations) return;
      last = st;
      const json = JSON.stringify(remembered(cfg, st));
      if (json === lastJson) return;
      lastJson = json;
      changes++;
      if (now - lastWrite >= MIN_INTERVAL_MS) [writes, lastWrite] = [writes + 1, now];
      else pending = true;
    },
  });
  return { writes: writes + (pending ? 1 : 0), changes };
}

export async function bench(emit: Emit): Promise<void> {
  const idle = writesPerDay(0);
  emit('persist.writes_per_day.idle', idle.writes, 'writes/day');
  const busy = writesPerDay(1);
  emit('persist.writes_per_day.outage_hourly', busy.writes, 'writes/day');
  emit('persist.changes_per_day.outage_hourly', busy.changes, 'changes/day');
  await Promise.resolve();
}
