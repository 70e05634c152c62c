// A generator cool-down survives a SIGKILL of the controller (README "What survives a restart"): the
// controller is killed while the set cools down after a retransfer; restarted, it finishes the
// cool-down for the time left (the set keeps running) and then stops the set, as the plant sees it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeState, STATE_FILE } from '../../src/runtime/persist/store.js';
import { ensureBuilt } from '../cli/cli-helpers.js';
import { tempDir } from '../runtime/journal/helpers.js';
import { post, silFiles, startCli, until as untilIn, type Json, type Proc } from './sil.js';

const COOLDOWN_MS = 8000;
const stateDir = tempDir();
const procs: Proc[] = [];
let ctl: Proc;
let sil: Awaited<ReturnType<typeof silFiles>>;
const until = (url: string, ok: (j: Json) => boolean, what: string, timeoutMs?: number) => untilIn(url, ok, what, () => procs, timeoutMs);
const status = () => `${sil.ctlUrl}/status`;
const knobs = (body: Json) => post(`${sil.plantUrl}/sim`, body);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const engine = (j: Json) => (j.genset as { engineState: number | null }).engineState;

function savedCooldownUntil(): number | null | undefined {
  try {
    const env = decodeState(readFileSync(join(stateDir, STATE_FILE), 'utf8'));
    return typeof env === 'string' ? undefined : (env.state as { generatorCooldownUntilMs?: number | null }).generatorCooldownUntilMs;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  ensureBuilt();
  sil = await silFiles([`runtime: { stateDir: ${JSON.stringify(stateDir)} }`]);
  const cfg = readFileSync(sil.config, 'utf8');
  expect(cfg).toContain('generator: { cooldownMs: 1s }');
  writeFileSync(sil.config, cfg.replace('generator: { cooldownMs: 1s }', `generator: { cooldownMs: ${COOLDOWN_MS} }`));
  // The engine state is read, so the controller's status shows what the plant's engine does.
  writeFileSync(sil.board, `${readFileSync(sil.board, 'utf8')}  generator.engineState: { device: genset, point: engineState }\n`);
  procs.push(startCli('plant', sil.plantArgs));
  await until(`${sil.plantUrl}/summary`, () => true, 'the plant answering');
  await knobs({ 'generator.startMs': '1s', 'generator.reportsEngine': true });
  ctl = startCli('controller', sil.runArgs);
  procs.push(ctl);
  await until(status(), (j) => j.source === 'A' && j.transfer === 'closed', 'the controller on A');
}, 120_000);

afterAll(async () => {
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
});

describe('SIGKILL during the generator cool-down', () => {
  it('finishes the cool-down after the restart, then stops the set', async () => {
    await knobs({ 'feed.A.voltage': 0 });
    await until(status(), (j) => j.source === 'B' && j.transfer === 'closed', 'the load on B');
    await knobs({ 'feed.A.voltage': 230 });
    await until(status(), (j) => j.source === 'A' && j.generator === 'cooldown', 'the retransfer and the cool-down');
    for (const deadline = Date.now() + 5000; Date.now() < deadline && !(Number(savedCooldownUntil()) > 0);) await sleep(50);
    const untilMs = Number(savedCooldownUntil());
    expect(untilMs).toBeGreaterThan(Date.now());
    ctl.child.kill('SIGKILL');
    await ctl.exited;
    ctl = startCli('controller', sil.runArgs);
    procs.push(ctl);
    const back = await until(status(), (j) => j.source === 'A', 'the controller back on A');
    expect(back).toMatchObject({ generator: 'cooldown' });
    expect(engine(back)).toBe(3);
    const stopped = await until(status(), (j) => j.generator === 'stopped' && engine(j) === 0, 'the set stopped after the cool-down', 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(untilMs - 500);
    expect(stopped.alarms).toEqual([]);
    expect(await (await fetch(`${sil.plantUrl}/summary`)).json()).toMatchObject({ interlockViolations: 0, paralleledMs: 0 });
  });
});
