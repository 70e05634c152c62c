// Generator tests from the journal: a test is `mode test` … `mode auto|manual`; on load once the
// load reached the generator feed (transfer.end after a `test` transfer); its retransfer and the
// generator's cool-down follow. Judged against the criteria, with the reasons written out.
import type { At } from './record.js';
import { bool, str } from './record.js';
import { fmtMs } from './format.js';
import { iso, type Month } from './month.js';
import type { Criteria, TestRecord } from './types.js';

interface Open {
  readonly startMs: number;
  readonly startedBy: string;
  /** From the startTest command event (null: a journal written before events carried it). */
  readonly requestedOnLoad: boolean | null;
  generatorFeed: string | null;
  onLoadMs: number | null;
  offLoadMs: number | null;
  endMs: number | null;
  endedBy: string | null;
  readonly failures: string[];
  readonly alarms: Set<string>;
  retransfer: { atMs: number; to: string; endMs: number | null; ok: boolean; reason: string } | null;
  cooldownFromMs: number | null;
  cooldownMs: number | null;
}

export interface TestTracker {
  add(a: At, preferred: string): void;
  finish(lastMs: number): TestRecord[];
}

export function trackTests(month: Month, criteria: Criteria): TestTracker {
  const out: TestRecord[] = [];
  let cur: Open | null = null;
  let lastCommand: { name: string; origin: string; ms: number; onLoad: boolean | null } | null = null;
  const close = (lastMs: number) => {
    if (cur && cur.startMs >= month.fromMs && cur.startMs < month.toMs) out.push(judge(cur, criteria, lastMs));
    cur = null;
  };
  const end = (t: Open, ms: number, by: string | null) => {
    t.endMs = ms;
    t.endedBy = by;
  };
  return {
    add({ r, ms }, preferred) {
      const running = cur !== null && cur.endMs === null;
      switch (r.type) {
        case 'command':
          if (bool(r, 'accepted') === true)
            lastCommand = { name: str(r, 'name') ?? '?', origin: str(r, 'origin') ?? 'unknown', ms, onLoad: bool(r, 'onLoad') ?? null };
          return;
        case 'mode': {
          const mode = str(r, 'mode');
          const cmd = lastCommand?.ms === ms ? lastCommand : null;
          if (mode === 'test' && !running) {
            close(ms);
            cur = {
              startMs: ms,
              startedBy: cmd?.name === 'startTest' ? cmd.origin : 'unknown',
              requestedOnLoad: cmd?.name === 'startTest' ? cmd.onLoad : null,
              generatorFeed: null,
              onLoadMs: null,
              offLoadMs: null,
              endMs: null,
              endedBy: null,
              failures: [],
              alarms: new Set(),
              retransfer: null,
              cooldownFromMs: null,
              cooldownMs: null,
            };
          } else if (mode !== 'test' && running && cur)
            end(cur, ms, cmd && (cmd.name === 'stopTest' || cmd.name === 'setMode') ? `${cmd.name} (${cmd.origin})` : null);
          return;
        }
        case 'start':
        case 'stop':
          if (running && cur) {
            end(cur, ms, r.type === 'start' ? 'restart' : 'controller stopped');
            cur.failures.push(r.type === 'start' ? 'the controller restarted during the test' : 'the controller stopped during the test');
          }
          close(ms);
          return;
      }
      if (cur) onPowerRecord(cur, r.type, { r, ms }, preferred, running);
    },
    finish(lastMs) {
      close(lastMs);
      return out;
    },
  };
}

function onPowerRecord(t: Open, type: string, { r, ms }: At, preferred: string, running: boolean): void {
  const to = str(r, 'to');
  const from = str(r, 'from');
  if (type === 'transfer.begin') {
    if (running && str(r, 'reason') === 'test' && t.generatorFeed === null) t.generatorFeed = to ?? null;
    if (t.onLoadMs !== null && t.offLoadMs === null && from === t.generatorFeed) t.offLoadMs = ms;
    if (!running && t.retransfer === null && from === t.generatorFeed && to !== undefined)
      t.retransfer = { atMs: ms, to, endMs: null, ok: false, reason: str(r, 'reason') ?? '?' };
  } else if (type === 'transfer.end') {
    if (running && t.onLoadMs === null && to !== undefined && to === t.generatorFeed) t.onLoadMs = ms;
    if (t.retransfer && t.retransfer.endMs === null && to === t.retransfer.to) [t.retransfer.endMs, t.retransfer.ok] = [ms, true];
  } else if (type === 'transfer.fail') {
    if (running) t.failures.push(`the transfer to ${to ?? '?'} failed (${str(r, 'reason') ?? '?'})`);
    else if (t.retransfer && t.retransfer.endMs === null) t.failures.push(`the retransfer to ${to ?? '?'} failed (${str(r, 'reason') ?? '?'})`);
  } else if (type === 'generator') {
    const state = str(r, 'state');
    if (state === 'failed' && running) t.failures.push('the generator failed');
    if (state === 'cooldown' && !running && t.cooldownFromMs === null) t.cooldownFromMs = ms;
    if (state === 'stopped' && t.cooldownFromMs !== null && t.cooldownMs === null) t.cooldownMs = ms - t.cooldownFromMs;
  } else if (type === 'source') {
    if (running && str(r, 'source') === preferred && bool(r, 'available') === false) t.failures.push(`the preferred feed ${preferred} failed during the test`);
  } else if (type === 'alarm') {
    const code = str(r, 'code');
    const settled = t.endMs !== null && (t.retransfer === null || t.retransfer.endMs !== null);
    if (bool(r, 'active') === true && code && !settled) t.alarms.add(code);
    if (bool(r, 'active') === true && code === 'GEN_FAIL_TO_START' && running) t.failures.push('the generator failed to start (GEN_FAIL_TO_START)');
  }
}

/** Why a test that never carried the load fails: asked for off load, or on load and it never got there. */
function notOnLoadWhy(t: Open): string {
  const offLoad = 'off-load: the load never went onto the generator (the monthly test must carry the load)';
  if (t.requestedOnLoad === false) return offLoad;
  if (t.requestedOnLoad === true) return 'an on-load test, but the load never reached the generator';
  // An older journal: the command event did not say, so judge by whether a test transfer began.
  return t.generatorFeed === null && t.failures.length === 0 ? offLoad : 'the load never reached the generator';
}

function judge(t: Open, c: Criteria, lastMs: number): TestRecord {
  const onLoad = t.onLoadMs !== null;
  const timeToLoadMs = t.onLoadMs !== null ? t.onLoadMs - t.startMs : null;
  const timeOnLoadMs = t.onLoadMs !== null ? (t.offLoadMs ?? t.endMs ?? lastMs) - t.onLoadMs : 0;
  const why: string[] = [];
  let pass = onLoad && t.endMs !== null && t.failures.length === 0;
  if (!onLoad) why.push(notOnLoadWhy(t));
  if (timeToLoadMs !== null) {
    const ok = timeToLoadMs <= c.testMaxTimeToLoadMs;
    pass &&= ok;
    why.push(
      ok
        ? `load on the generator ${fmtMs(timeToLoadMs)} after the start signal (limit ${fmtMs(c.testMaxTimeToLoadMs)})`
        : `load on the generator ${fmtMs(timeToLoadMs)} after the start signal, over the ${fmtMs(c.testMaxTimeToLoadMs)} limit`,
    );
  }
  if (onLoad) {
    const ok = timeOnLoadMs >= c.testMinOnLoadMs;
    pass &&= ok;
    why.push(
      ok
        ? `${fmtMs(timeOnLoadMs)} on load (at least ${fmtMs(c.testMinOnLoadMs)})`
        : `only ${fmtMs(timeOnLoadMs)} on load, under the ${fmtMs(c.testMinOnLoadMs)} required`,
    );
  }
  const failures = [...new Set(t.failures)];
  why.push(...failures);
  if (t.endMs === null) why.push('the journal ends while the test is still running');
  const endedBy = t.endedBy ?? (failures.length > 0 ? `failure: ${failures[0] as string}` : t.endMs === null ? 'still running' : 'timer');
  const rt = t.retransfer;
  return {
    start: iso(t.startMs),
    end: t.endMs === null ? null : iso(t.endMs),
    onLoad,
    requestedOnLoad: t.requestedOnLoad,
    durationMs: t.endMs === null ? null : t.endMs - t.startMs,
    timeToLoadMs,
    timeOnLoadMs,
    pass,
    why,
    startedBy: t.startedBy,
    endedBy,
    generatorFeed: t.generatorFeed,
    retransfer: rt ? { at: iso(rt.atMs), durationMs: rt.endMs === null ? null : rt.endMs - rt.atMs, ok: rt.ok, reason: rt.reason } : null,
    cooldownMs: t.cooldownMs,
    alarms: [...t.alarms].sort(),
  };
}
