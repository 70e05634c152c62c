// Real peers for the Sparkplug tests: Debian's mosquitto broker on 127.0.0.1 on a free port (config in
// a temp dir), mosquitto_sub as an independent subscriber printing each message's topic and hex payload,
// mosquitto_pub for the host application's NCMD, a TCP proxy that can go silent (a dead uplink), and
// `twinfeed run` as a child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { files, MAIN, ROOT } from '../cli/cli-helpers.js';
import { decodeSparkplug, type WirePayload } from './wire.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitListening(port: number, deadlineMs: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => (c.end(), done(true)));
      c.on('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadlineMs) throw new Error(`mosquitto did not listen on ${port}`);
    await sleep(50);
  }
}

export interface Broker {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** PEM files of a TLS listener that requires a client certificate signed by `ca`. */
export interface BrokerTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A broker on `port` (default: a free one); with `users` it refuses anyone but them (a mosquitto_passwd
 * file); with `tls` it speaks only TLS and requires a client certificate.
 */
export async function startBroker(port?: number, users?: Record<string, string>, tls?: BrokerTls): Promise<Broker> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  let auth = 'allow_anonymous true\n';
  if (users) {
    const pw = join(dir, 'passwd');
    writeFileSync(pw, '');
    for (const [u, secret] of Object.entries(users)) {
      const r = spawnSync('mosquitto_passwd', ['-b', pw, u, secret], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    }
    // As root mosquitto drops to its own user, which cannot read a file in our private temp dir.
    auth = `allow_anonymous false\npassword_file ${pw}\n${process.getuid?.() === 0 ? 'user root\n' : ''}`;
  }
  // As root mosquitto drops to its own user, which cannot read a file in our private temp dirs.
  const asRoot = (users || tls) && process.getuid?.() === 0 && !auth.includes('user root') ? 'user root\n' : '';
  const tlsConf = tls ? `cafile ${tls.ca}\ncertfile ${tls.cert}\nkeyfile ${tls.key}\nrequire_certificate true\n` : '';
  writeFileSync(conf, `listener ${p} 127.0.0.1\n${tlsConf}${auth}${asRoot}persistence false\nlog_dest stderr\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitListening(p, Date.now() + 10_000).catch((e: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${log}`);
  });
  return {
    port: p,
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${p}`,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface Received {
  readonly topic: string;
  readonly payload: WirePayload;
  readonly atMs: number;
}

export interface Subscriber {
  readonly messages: Received[];
  /** Resolves with the first message (after index `from`) that matches, or rejects after timeoutMs. */
  waitFor(pred: (m: Received) => boolean, timeoutMs: number, from?: number): Promise<Received>;
  stop(): Promise<void>;
}

export async function subscribe(port: number, topic: string, extraArgs: readonly string[] = []): Promise<Subscriber> {
  // -F '%t %x': topic, then the payload in hex, one line per message; -v off. QoS 1 so the NDEATH Will keeps its QoS.
  const child = spawn(
    'mosquitto_sub',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
      '1',
      '-t',
      topic,
      '-F',
      '%t %x',
      '-i',
      `sub-${process.pid}-${port}-${Math.random().toString(36).slice(2, 8)}`,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const messages: Received[] = [];
  let rest = '';
  child.stdout?.on('data', (d: Buffer) => {
    rest += d.toString();
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const [t, hex] = line.split(' ');
      if (!t) continue;
      // A test's deliberately malformed NCMD also passes by here: kept, with no metrics, rather than thrown.
      let payload: WirePayload = { metrics: [] };
      try {
        payload = decodeSparkplug(Buffer.from(hex ?? '', 'hex'));
      } catch {
        // left empty
      }
      messages.push({ topic: t, payload, atMs: Date.now() });
    }
  });
  // mosquitto_sub has subscribed once the broker has it; a short settle is enough on 127.0.0.1.
  await sleep(300);
  return {
    messages,
    async waitFor(pred, timeoutMs, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.slice(from).find(pred);
        if (m) return m;
        if (Date.now() > deadline)
          throw new Error(`no matching message in ${timeoutMs} ms; got: ${messages.map((x) => `${x.topic} seq=${x.payload.seq}`).join(', ')}`);
        await sleep(50);
      }
    },
    stop: () => stopChild(child),
  };
}

/** Publishes raw bytes with mosquitto_pub (the host application side); e.g. `['-r', '-q', '1']` for a retained STATE. */
export function publishRaw(port: number, topic: string, bytes: Uint8Array, extraArgs: readonly string[] = []): void {
  const dir = mkdtempSync(join(tmpdir(), 'twinfeed-mqttpub-'));
  const file = join(dir, 'payload.bin');
  writeFileSync(file, bytes);
  const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-f', file, ...extraArgs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${r.stderr}`);
}

/** A TCP proxy on 127.0.0.1 that can go silent (drop every byte both ways, keep the sockets open). */
export async function silentableProxy(targetPort: number) {
  let silent = false;
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    sockets.push(client);
    client.on('error', () => undefined);
    if (silent) return;
    const up = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.push(up);
    up.on('error', () => undefined);
    client.on('data', (d: Buffer) => void (silent || up.write(d)));
    up.on('data', (d: Buffer) => void (silent || client.write(d)));
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    silence: () => void (silent = true),
    /** The link is back: what hung in it is cut (as a NAT that forgot the flow), new connections pass. */
    restore() {
      silent = false;
      for (const s of sockets.splice(0)) s.destroy();
    },
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

export interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** `twinfeed run` (the built CLI) with the simulated plant, its HTTP API on httpPort and Sparkplug to `url`. */
export function startRun(o: { url: string; stateDir: string; httpPort: number; edgeNodeId?: string; extra?: string }): Run {
  const cfg = files({
    'c.yaml': `http:\n  port: ${o.httpPort}\nscada:\n  enabled: false\nuplinks:\n  enabled: false\nruntime:\n  stateDir: ${o.stateDir}\nsparkplug:\n  broker: ${o.url}\n  groupId: tf-test\n  edgeNodeId: ${o.edgeNodeId ?? 'cab1'}\n${o.extra ?? ''}`,
  });
  const child = spawn(process.execPath, [MAIN, 'run', '--config', cfg['c.yaml'] as string], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, exited: new Promise((r) => child.on('exit', (code) => r(code))), output: () => out };
}
