// The NUT client on a fake upsd: one request on the wire at a time, answers split anywhere, ERR
// keeps the connection, garbage / over-long lines / silence drop it, and reconnects back off.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNutClient, NutLinkError } from '../../src/drivers/nut/client.js';
import { fakeUpsd } from './fake-nut.js';

const settle = () => vi.advanceTimersByTimeAsync(0);
const clientOn = (upsd: ReturnType<typeof fakeUpsd>, maxLineBytes?: number) =>
  createNutClient({
    host: '127.0.0.1',
    port: 3493,
    timeoutMs: 500,
    connect: upsd.connect,
    backoff: { minMs: 1000, maxMs: 4000 },
    ...(maxLineBytes ? { maxLineBytes } : {}),
  });
/** The rejection of a promise (or 'resolved'), without an unhandled rejection in between. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved' as const,
    (e: Error) => e,
  );

describe('NUT client', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('sends one request at a time, in order, on one connection', async () => {
    const upsd = fakeUpsd('ups', { 'battery.charge': '87', 'ups.status': 'OL' });
    const c = clientOn(upsd);
    const a = c.get('ups', 'battery.charge');
    const b = c.list('ups');
    const d = c.get('ups', 'ups.status');
    await Promise.resolve();
    expect(upsd.requests.length).toBeLessThanOrEqual(1);
    expect(await a).toBe('87');
    expect(await b).toEqual(
      new Map([
        ['battery.charge', '87'],
        ['ups.status', 'OL'],
      ]),
    );
    expect(await d).toBe('OL');
    expect(upsd.requests).toEqual(['GET VAR ups battery.charge', 'LIST VAR ups', 'GET VAR ups ups.status']);
    expect(upsd.connections).toBe(1);
    c.close();
  });

  it('takes an answer delivered a byte at a time', async () => {
    const upsd = fakeUpsd('ups');
    upsd.mode = 'silent';
    const c = clientOn(upsd);
    const p = c.list('ups');
    await settle();
    for (const ch of 'BEGIN LIST VAR ups\r\nVAR ups ups.status "OB LB"\r\nEND LIST VAR ups\r\n') upsd.send(ch);
    expect(await p).toEqual(new Map([['ups.status', 'OB LB']]));
    c.close();
  });

  it('an ERR answer rejects with its token and keeps the connection', async () => {
    const upsd = fakeUpsd('ups', { 'ups.status': 'OL' });
    const c = clientOn(upsd);
    await expect(c.get('ups', 'nope')).rejects.toMatchObject({ token: 'VAR-NOT-SUPPORTED' });
    await expect(c.get('other', 'ups.status')).rejects.toMatchObject({ token: 'UNKNOWN-UPS' });
    expect(await c.get('ups', 'ups.status')).toBe('OL');
    expect(upsd.connections).toBe(1);
    c.close();
  });

  it('garbage, an unrequested line or an over-long line drops the connection; the next request reconnects after the backoff', async () => {
    const upsd = fakeUpsd('ups', { 'ups.status': 'OL' });
    const c = clientOn(upsd, 256);
    upsd.mode = 'silent';
    const p = outcome(c.get('ups', 'ups.status'));
    await settle();
    upsd.send('VAR ups ups.status "unterminated\n');
    expect(await p).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/unterminated quote/) });
    upsd.mode = 'ok';
    expect(await outcome(c.get('ups', 'ups.status'))).toMatchObject({ kind: 'backoff' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(await c.get('ups', 'ups.status')).toBe('OL');
    expect(upsd.connections).toBe(2);
    upsd.send('VAR ups ups.status "OB"\n'); // nobody asked
    await vi.advanceTimersByTimeAsync(1000);
    upsd.mode = 'silent';
    const big = outcome(c.get('ups', 'ups.status'));
    await settle();
    upsd.send('x'.repeat(300));
    expect(await big).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/longer than 256/) });
    expect(c.counters.garbage).toBe(3);
    c.close();
  });

  it('a request with no answer times out, drops the connection and fails what was queued behind it', async () => {
    const upsd = fakeUpsd('ups', { 'ups.status': 'OL' });
    upsd.mode = 'silent';
    const c = clientOn(upsd);
    const a = outcome(c.get('ups', 'ups.status'));
    const b = outcome(c.list('ups'));
    await vi.advanceTimersByTimeAsync(499);
    expect(upsd.requests).toEqual(['GET VAR ups ups.status']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await a).toMatchObject({ kind: 'timeout' });
    expect(await b).toMatchObject({ kind: 'timeout' });
    expect(c.counters.timeouts).toBe(1);
    c.close();
  });

  it('a refused connection is retried with a doubling backoff, reset by an answer', async () => {
    const upsd = fakeUpsd('ups', { 'ups.status': 'OL' });
    upsd.mode = 'refuse';
    const c = clientOn(upsd);
    const tries: string[] = [];
    for (let t = 0; t < 8000; t += 250) {
      const r = await outcome(c.get('ups', 'ups.status'));
      tries.push(r instanceof NutLinkError ? r.kind : String(r));
      await vi.advanceTimersByTimeAsync(250);
    }
    // Attempts at 0, 1 s, 3 s (after 2 s) and 7 s (after 4 s, the maximum).
    expect(tries.map((k, i) => (k === 'connect' ? i * 250 : undefined)).filter((x) => x !== undefined)).toEqual([0, 1000, 3000, 7000]);
    upsd.mode = 'ok';
    await vi.advanceTimersByTimeAsync(4000);
    expect(await c.get('ups', 'ups.status')).toBe('OL');
    c.close();
  });

  it('a socket the server closes fails the request in flight', async () => {
    const upsd = fakeUpsd('ups', { 'ups.status': 'OL' });
    upsd.mode = 'silent';
    const c = clientOn(upsd);
    const p = outcome(c.get('ups', 'ups.status'));
    await settle();
    upsd.hangUp();
    expect(await p).toMatchObject({ kind: 'closed', message: 'connection reset by peer' });
    c.close();
    expect(await outcome(c.get('ups', 'ups.status'))).toMatchObject({ kind: 'closed' });
  });
});
