// Probes against real peers on loopback (TCP, HTTP, DNS over UDP) and ping output from a fake exec.
import { createSocket, type Socket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsProbe, httpProbe, icmpProbe, tcpProbe, type ProbeOptions } from '../../../src/drivers/uplink/probes.js';
import { parseTarget } from '../../../src/drivers/uplink/targets.js';
import { fakeExec } from './fakes.js';

const o: ProbeOptions = { timeoutMs: 300, attempts: 2, attemptSpacingMs: 100, source: '127.0.0.1' };
const now = () => performance.now();
const portOf = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;

/** A minimal DNS answer: the query echoed back with QR set and no answers (NOERROR, empty). */
function dnsReply(q: Buffer): Buffer {
  const r = Buffer.from(q);
  r[2] = 0x81;
  r[3] = 0x80;
  return r;
}

let tcp: Server;
let http: HttpServer;
let hung: HttpServer;
let dns: Socket;
let mute: Socket;
beforeAll(async () => {
  tcp = createTcpServer((s) => s.end()).listen(0, '127.0.0.1');
  http = createHttpServer((_q, res) => res.end('ok')).listen(0, '127.0.0.1');
  hung = createHttpServer(() => undefined).listen(0, '127.0.0.1');
  dns = createSocket('udp4').on('message', (m, rinfo) => dns.send(dnsReply(m), rinfo.port, rinfo.address));
  mute = createSocket('udp4');
  await Promise.all([
    new Promise((r) => tcp.once('listening', r)),
    new Promise((r) => http.once('listening', r)),
    new Promise((r) => hung.once('listening', r)),
    new Promise((r) => dns.bind(0, '127.0.0.1', () => r(undefined))),
    new Promise((r) => mute.bind(0, '127.0.0.1', () => r(undefined))),
  ]);
});
afterAll(() => {
  tcp.close();
  http.close();
  hung.closeAllConnections();
  hung.close();
  dns.close();
  mute.close();
});

describe('probes', () => {
  it('TCP connect: ok with an rtt when the port accepts, failure when refused', async () => {
    const ok = await tcpProbe('127.0.0.1', portOf(tcp), o, now);
    expect(ok.ok).toBe(true);
    expect(ok.rttMs).toBeLessThan(300);
    const closed = createTcpServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const port = portOf(closed);
    closed.close();
    expect(await tcpProbe('127.0.0.1', port, o, now)).toMatchObject({ ok: false, why: 'ECONNREFUSED' });
  });

  it('HTTP GET: ok on an answer; a server that never answers is a failure at the timeout, not a hang', async () => {
    expect((await httpProbe(`http://127.0.0.1:${portOf(http)}/`, o, now)).ok).toBe(true);
    const t0 = now();
    expect(await httpProbe(`http://127.0.0.1:${portOf(hung)}/`, o, now)).toMatchObject({ ok: false, why: 'timeout' });
    expect(now() - t0).toBeLessThan(1000);
  });

  it('DNS query: any answer proves the path; silence is a failure within the timeout', async () => {
    expect((await dnsProbe('127.0.0.1', portOf(dns), 'example.test', o, now)).ok).toBe(true);
    const t0 = now();
    expect((await dnsProbe('127.0.0.1', portOf(mute), 'example.test', o, now)).ok).toBe(false);
    expect(now() - t0).toBeLessThan(1000);
  });

  it('ICMP via system ping bound to the interface: parses received count and min rtt', async () => {
    const x = fakeExec(() => ({
      code: 1,
      stdout: '2 packets transmitted, 1 received, 50% packet loss, time 101ms\nrtt min/avg/max/mdev = 12.5/12.5/12.5/0.0 ms\n',
    }));
    expect(await icmpProbe(x.exec, '192.0.2.1', { ...o, iface: 'eth0' })).toEqual({ ok: true, rttMs: 12.5 });
    expect(x.calls).toEqual(['ping -n -q -s 16 -c 2 -i 0.100 -W 0.200 -I eth0 192.0.2.1']);
    const lost = fakeExec(() => ({ code: 1, stdout: '2 packets transmitted, 0 received, 100% packet loss, time 101ms\n' }));
    expect((await icmpProbe(lost.exec, '192.0.2.1', o)).ok).toBe(false);
    const missing = fakeExec(() => ({ code: null, error: 'ENOENT' }));
    expect(await icmpProbe(missing.exec, '192.0.2.1', o)).toMatchObject({ ok: false, why: 'ENOENT' });
  });
});

describe('probe targets', () => {
  it('parses the four kinds and explains bad ones', () => {
    expect(parseTarget('192.0.2.1')).toEqual({ kind: 'icmp', host: '192.0.2.1' });
    expect(parseTarget('tcp://192.0.2.1:443')).toEqual({ kind: 'tcp', host: '192.0.2.1', port: 443 });
    expect(parseTarget('https://example.test/health')).toEqual({ kind: 'http', url: 'https://example.test/health' });
    expect(parseTarget('dns://192.0.2.53/example.test')).toEqual({ kind: 'dns', server: '192.0.2.53', port: 53, name: 'example.test' });
    expect(parseTarget('tcp://192.0.2.1')).toMatch(/needs a port/);
    expect(parseTarget('ftp://x')).toMatch(/unknown probe scheme/);
  });
});
