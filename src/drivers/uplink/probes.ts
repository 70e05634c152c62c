// One probe of one target through one uplink, bounded by its timeout. A probe never rejects and
// never outlives its timeout, so a hung target can never hold up a round or the scan.
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Resolver } from 'node:dns/promises';
import { ICMP_PAYLOAD_BYTES } from '../../core/uplink/budget.js';
import type { Exec } from './exec.js';
import type { ProbeSpec } from './targets.js';

export interface ProbeOutcome {
  readonly ok: boolean;
  readonly rttMs: number | undefined;
  /** Why it failed (for the debug log); absent when ok. */
  readonly why?: string;
}

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly attemptSpacingMs: number;
  /** ICMP binds to the interface (SO_BINDTODEVICE via ping -I); the others to the source address. */
  readonly iface?: string;
  readonly source?: string;
}

const fail = (why: string): ProbeOutcome => ({ ok: false, rttMs: undefined, why });

/** Resolves with `f`'s outcome or a failure at the timeout, whichever comes first; `abort` cleans up. */
function bounded(timeoutMs: number, f: (done: (o: ProbeOutcome) => void) => () => void): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abort();
      resolve(o);
    };
    const timer = setTimeout(() => done(fail('timeout')), timeoutMs);
    const abort = f(done);
  });
}

/** `ping -c attempts`: the target answered if any echo came back; rtt is the fastest answer. */
export async function icmpProbe(exec: Exec, host: string, o: ProbeOptions): Promise<ProbeOutcome> {
  // The last echo still gets its full wait inside the round's timeout; ping is stopped at the timeout anyway.
  const lastWaitMs = Math.max(100, o.timeoutMs - (o.attempts - 1) * o.attemptSpacingMs);
  const args = [
    '-n',
    '-q',
    '-s',
    String(ICMP_PAYLOAD_BYTES),
    '-c',
    String(o.attempts),
    '-i',
    (o.attemptSpacingMs / 1000).toFixed(3),
    '-W',
    (lastWaitMs / 1000).toFixed(3),
  ];
  if (o.iface) args.push('-I', o.iface);
  args.push(host);
  const r = await exec('ping', args, o.timeoutMs);
  const received = Number(/(\d+) (?:packets )?received/.exec(r.stdout)?.[1] ?? 0);
  if (received > 0) {
    const min = /= ([\d.]+)\//.exec(r.stdout)?.[1];
    return { ok: true, rttMs: min === undefined ? undefined : Number(min) };
  }
  return fail(r.error ?? (r.stderr.trim() || `no answer (exit ${r.code})`));
}

export function tcpProbe(host: string, port: number, o: ProbeOptions, nowMs: () => number): Promise<ProbeOutcome> {
  const t0 = nowMs();
  return bounded(o.timeoutMs, (done) => {
    const s = connect({ host, port, ...(o.source ? { localAddress: o.source } : {}) });
    s.once('connect', () => done({ ok: true, rttMs: nowMs() - t0 }));
    s.once('error', (e: NodeJS.ErrnoException) => done(fail(e.code ?? e.message)));
    return () => s.destroy();
  });
}

/** Any HTTP answer below 500 proves the path through the uplink works. */
export function httpProbe(url: string, o: ProbeOptions, nowMs: () => number): Promise<ProbeOutcome> {
  const t0 = nowMs();
  return bounded(o.timeoutMs, (done) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', ...(o.source ? { localAddress: o.source } : {}) }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      done(code > 0 && code < 500 ? { ok: true, rttMs: nowMs() - t0 } : fail(`HTTP ${code}`));
    });
    req.once('error', (e: NodeJS.ErrnoException) => done(fail(e.code ?? e.message)));
    req.end();
    return () => req.destroy();
  });
}

// A server that answers at all (even NXDOMAIN or SERVFAIL) proves the path; silence or refusal does not.
const DNS_PATH_DOWN = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ECANCELLED', 'EDESTRUCTION', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH']);

export function dnsProbe(server: string, port: number, name: string, o: ProbeOptions, nowMs: () => number): Promise<ProbeOutcome> {
  const t0 = nowMs();
  return bounded(o.timeoutMs, (done) => {
    const r = new Resolver({ timeout: o.timeoutMs, tries: 1 });
    r.setServers([server.includes(':') ? `[${server}]:${port}` : `${server}:${port}`]);
    if (o.source) {
      if (o.source.includes(':')) r.setLocalAddress(undefined, o.source);
      else r.setLocalAddress(o.source);
    }
    r.resolve4(name).then(
      () => done({ ok: true, rttMs: nowMs() - t0 }),
      (e: NodeJS.ErrnoException) => done(DNS_PATH_DOWN.has(e.code ?? '') ? fail(e.code ?? 'error') : { ok: true, rttMs: nowMs() - t0 }),
    );
    return () => r.cancel();
  });
}

export function runProbe(spec: ProbeSpec, exec: Exec, o: ProbeOptions, nowMs: () => number): Promise<ProbeOutcome> {
  switch (spec.kind) {
    case 'icmp':
      return icmpProbe(exec, spec.host, o);
    case 'tcp':
      return tcpProbe(spec.host, spec.port, o, nowMs);
    case 'http':
      return httpProbe(spec.url, o, nowMs);
    case 'dns':
      return dnsProbe(spec.server, spec.port, spec.name, o, nowMs);
  }
}
