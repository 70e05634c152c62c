// `twinfeed fleet` against a real mosquitto, read by mosquitto_sub and the tests' own decoder: N
// cabinets give N births under distinct edge node ids, an outage drawn for one shows its transfer in
// that node's NDATA, the same seed draws the same incidents, SIGTERM and SIGINT give every node's NDEATH, and
// bad arguments exit with the documented code.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EX_CONFIG, EX_USAGE } from '../../src/config/exit-codes.js';
import { cli, ensureBuilt, files, MAIN, ROOT } from '../cli/cli-helpers.js';
import { CI, missingTools } from '../system-tools.js';
import { startBroker, subscribe, type Broker, type Received, type Subscriber } from '../sparkplug/peers.js';

const missing = missingTools('mosquitto', 'mosquittoClients');
if (missing && !CI) console.warn(`SKIP fleet tests: ${missing}`);
const suite = missing && !CI ? describe.skip : describe;

let broker: Broker;
let sub: Subscriber;

interface Fleet {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

function startFleet(args: readonly string[]): Fleet {
  const child = spawn(process.execPath, [MAIN, 'fleet', '--broker', broker.url, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, exited: new Promise((r) => child.on('exit', (code) => r(code))), output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitOutput(f: Fleet, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const m = f.output().match(re);
    if (m) return m;
  }
  throw new Error(`no ${re} in the fleet's output:\n${f.output()}`);
}
/** The incidents drawn in the first 30 simulated minutes, in time order (cabinets print them as their scans reach them). */
const incidentLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^\+00:[0-2]\d:\d\d {2}cab-/.test(l))
    .sort();
const of = (group: string, type: string) => (m: Received) => m.topic.startsWith(`spBv1.0/${group}/${type}/`);
const edgeOf = (m: Received) => m.topic.split('/')[3];

suite('twinfeed fleet against mosquitto', () => {
  beforeAll(async () => {
    ensureBuilt();
    broker = await startBroker();
    sub = await subscribe(broker.port, 'spBv1.0/#');
  }, 300_000);
  afterAll(async () => {
    await sub?.stop();
    await broker?.stop();
  });

  it('5 cabinets: 5 births with distinct ids, an outage transfers in NDATA, SIGTERM gives 5 NDEATHs', async () => {
    const fleet = startFleet(['--cabinets', '5', '--group', 'fleet-a', '--speed', '60', '--seed', '1', '--incident-every', '2m']);
    try {
      await sub.waitFor(of('fleet-a', 'NBIRTH'), 30_000);
      for (let i = 0; sub.messages.filter(of('fleet-a', 'NBIRTH')).length < 5 && i < 100; i++) await sleep(100);
      const births = sub.messages.filter(of('fleet-a', 'NBIRTH'));
      expect(births.map(edgeOf).sort()).toEqual(['cab-0001', 'cab-0002', 'cab-0003', 'cab-0004', 'cab-0005']);
      for (const b of births) expect(b.payload.metrics.find((m) => m.name === 'Power/Source')?.value).toBe('A');
      // The first utility outage drawn: that cabinet's generator takes the load, and its NDATA says so.
      const [, cab] = await waitOutput(fleet, /^\+[\d:]+ {2}(cab-\d+) {2}utility outage/m, 60_000);
      const onB = await sub.waitFor(
        (m) => of('fleet-a', 'NDATA')(m) && edgeOf(m) === cab && m.payload.metrics.some((x) => x.name === 'Power/Source' && x.value === 'B'),
        60_000,
      );
      expect(onB.payload.metrics.find((x) => x.name === 'Power/Source')?.timestamp).toBeGreaterThan(0);
      const before = sub.messages.length;
      fleet.child.kill('SIGTERM');
      expect(await fleet.exited, fleet.output()).toBe(0);
      for (let i = 0; sub.messages.slice(before).filter(of('fleet-a', 'NDEATH')).length < 5 && i < 50; i++) await sleep(100);
      const deaths = sub.messages.slice(before).filter(of('fleet-a', 'NDEATH'));
      expect(deaths.map(edgeOf).sort()).toEqual(['cab-0001', 'cab-0002', 'cab-0003', 'cab-0004', 'cab-0005']);
    } finally {
      fleet.child.kill('SIGKILL');
    }
  }, 180_000);

  it("SIGINT (Ctrl-C) stops as SIGTERM does: exit 0 and every node's NDEATH", async () => {
    const fleet = startFleet(['--cabinets', '2', '--group', 'fleet-int', '--speed', '60', '--seed', '2']);
    try {
      for (let i = 0; sub.messages.filter(of('fleet-int', 'NBIRTH')).length < 2 && i < 300; i++) await sleep(100);
      expect(sub.messages.filter(of('fleet-int', 'NBIRTH')).map(edgeOf).sort()).toEqual(['cab-0001', 'cab-0002']);
      const before = sub.messages.length;
      fleet.child.kill('SIGINT');
      expect(await fleet.exited, fleet.output()).toBe(0);
      for (let i = 0; sub.messages.slice(before).filter(of('fleet-int', 'NDEATH')).length < 2 && i < 50; i++) await sleep(100);
      expect(sub.messages.slice(before).filter(of('fleet-int', 'NDEATH')).map(edgeOf).sort()).toEqual(['cab-0001', 'cab-0002']);
    } finally {
      fleet.child.kill('SIGKILL');
    }
  }, 120_000);

  it('the same seed draws the same incidents; another seed other ones', async () => {
    const run = async (seed: string) => {
      const f = startFleet(['--cabinets', '3', '--group', `fleet-s${seed}`, '--speed', '500', '--seed', seed, '--incident-every', '5m', '--duration', '40m']);
      expect(await f.exited, f.output()).toBe(0);
      return incidentLines(f.output());
    };
    const first = await run('7');
    expect(first.length).toBeGreaterThan(2);
    expect(await run('7')).toEqual(first);
    expect(await run('8')).not.toEqual(first);
  }, 180_000);

  it('bad arguments exit 2 naming the problem; a bad config 78', async () => {
    const bad: [string[], RegExp][] = [
      [['fleet', '--broker', 'mqtt://127.0.0.1:1883'], /needs --cabinets/],
      [['fleet', '--cabinets', '0', '--broker', 'mqtt://127.0.0.1:1883'], /--cabinets takes a whole number/],
      [['fleet', '--cabinets', '3'], /needs --broker/],
      [['fleet', '--cabinets', '3', '--broker', 'http://127.0.0.1'], /--broker is mqtt:\/\//],
      [['fleet', '--cabinets', '3', '--broker', 'mqtt://127.0.0.1:1883', '--speed', 'fast'], /--speed takes a number/],
      [['fleet', '--cabinets', '3', '--broker', 'mqtt://127.0.0.1:1883', '--group', 'a/b'], /--group is a Sparkplug group id/],
      [['fleet', '--cabinets', '3', '--broker', 'mqtt://127.0.0.1:1883', '--duration', 'soon'], /--duration takes/],
    ];
    for (const [args, problem] of bad) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EX_USAGE);
      expect(r.stderr).toMatch(problem);
    }
    const cfg = files({ 'bad.yaml': 'psu:\n  required: 9\n' });
    const r = await cli(['fleet', '--cabinets', '2', '--broker', 'mqtt://127.0.0.1:1883', '--config', cfg['bad.yaml'] as string]);
    expect(r.code).toBe(EX_CONFIG);
    expect(r.stderr).toMatch(/required/);
  }, 120_000);
});
