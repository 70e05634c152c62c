import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import { createUplinkDriver } from '../../../src/drivers/uplink/index.js';
import type { LinkSense } from '../../../src/drivers/uplink/carrier.js';
import { parseMonitorLine, type LinkListener, type LinkMonitor } from '../../../src/drivers/uplink/monitor.js';
import { fakeExec, fakeLogger } from './fakes.js';

const cfg = uplinksSchema.parse({
  links: [
    { id: 'fiber', interface: 'eth0', gateway: '192.0.2.1', targets: ['192.0.2.10', '192.0.2.11'] },
    { id: 'lte', interface: 'wwan0', gateway: '198.51.100.1', targets: ['198.51.100.10'] },
  ],
});
const tick = () => new Promise((r) => setImmediate(r));

describe('uplink driver', () => {
  it('reads carrier without blocking: absent until the first poll, then the value with its age', async () => {
    const carriers: Record<string, boolean> = { eth0: true, wwan0: false };
    const d = createUplinkDriver({
      cfg,
      logger: fakeLogger(),
      exec: fakeExec().exec,
      carrier: async (i) => ({ carrier: carriers[i] ?? false, operstate: 'up' }),
      clock: () => 0,
      monitor: false,
    });
    expect(d.read(0).get('uplink.fiber.carrier')).toEqual({ value: undefined, reason: 'absent' });
    await tick();
    const r = d.read(100);
    expect(r.get('uplink.fiber.carrier')).toEqual({ value: true, ageMs: 0 });
    expect(r.get('uplink.lte.carrier')).toEqual({ value: false, ageMs: 0 });
    expect(r.get('uplink.routeFault')).toEqual({ value: false, ageMs: 0 });
  });

  it('probes through each uplink interface and reports results by uplink and target', async () => {
    const x = fakeExec((line) =>
      line.includes('-I eth0')
        ? { stdout: '2 packets transmitted, 2 received\nrtt min/avg/max/mdev = 3.1/3.2/3.3/0.1 ms\n' }
        : { code: 1, stdout: '2 packets transmitted, 0 received\n' },
    );
    const d = createUplinkDriver({ cfg, logger: fakeLogger(), exec: x.exec, carrier: async () => ({ carrier: true, operstate: 'up' }), monitor: false });
    d.takeProbes(0);
    await tick();
    const r = d.takeProbes(50);
    expect(r.map((p) => [p.uplink, p.target, p.ok, p.rttMs, p.atMs])).toEqual([
      ['fiber', '192.0.2.10', true, 3.1, 0],
      ['fiber', '192.0.2.11', true, 3.1, 0],
      ['lte', '198.51.100.10', false, undefined, 0],
    ]);
    expect(x.calls.filter((c) => c.startsWith('ping'))).toHaveLength(3);
  });

  it('switches routes when the selected output changes and reports a failing action as a fault reading', async () => {
    const x = fakeExec((line) =>
      line.startsWith('ip route replace') && line.includes('wwan0 metric 10') ? { code: 2, stderr: 'RTNETLINK answers: Network is unreachable' } : {},
    );
    const log = fakeLogger();
    const d = createUplinkDriver({ cfg, logger: log, exec: x.exec, carrier: async () => ({ carrier: true, operstate: 'up' }), monitor: false });
    d.write(
      new Map([
        ['uplink.fiber.selected', true],
        ['uplink.lte.selected', false],
      ]),
      0,
    );
    await d.close();
    expect(x.calls[0]).toBe('ip route replace default via 192.0.2.1 dev eth0 metric 10');
    d.write(
      new Map([
        ['uplink.fiber.selected', false],
        ['uplink.lte.selected', true],
      ]),
      100,
    );
    await d.close();
    expect(d.faults().get('route.lte')).toMatch(/Network is unreachable/);
    expect(d.read(200).get('uplink.routeFault')).toEqual({ value: true, ageMs: 0 });
    expect(log.lines).toContain('info uplink: selected lte');
  });

  it('takes carrier from kernel link events at once, wakes the scan, and an older poll does not undo the event', async () => {
    let emit: LinkListener = () => undefined;
    const monitor: LinkMonitor = (listener) => {
      emit = listener;
      return () => undefined;
    };
    // The poll of wwan0 is slow: it read the link before the cable was pulled and answers after the event.
    let answerPoll: (s: LinkSense) => void = () => undefined;
    const carrier = (i: string) => (i === 'wwan0' ? new Promise<LinkSense>((r) => (answerPoll = r)) : Promise.resolve({ carrier: true, operstate: 'up' }));
    let t = 0;
    const log = fakeLogger();
    const d = createUplinkDriver({ cfg, logger: log, exec: fakeExec().exec, carrier, clock: () => t, monitor });
    let wakes = 0;
    d.onInputChange(() => wakes++);
    emit('wwan0', { carrier: true, operstate: 'up' });
    d.read(0);
    t = 10;
    emit(
      'wwan0',
      parseMonitorLine('3: wwan0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN mode DEFAULT group default qlen 1000\\    link/none')
        ?.sense ?? { carrier: true, operstate: '?' },
    );
    emit('eth7', { carrier: false, operstate: 'down' });
    expect(d.read(10).get('uplink.lte.carrier')).toEqual({ value: false, ageMs: 0 });
    expect(wakes).toBe(1);
    answerPoll({ carrier: true, operstate: 'up' });
    await tick();
    expect(d.read(20).get('uplink.lte.carrier')?.value).toBe(false);
    expect(log.lines).toContain('info uplink: wwan0 carrier down (event)');
    await d.close();
  });

  it('counts the bytes each uplink carried from the kernel interface counters, at most once a second', async () => {
    const files: Record<string, string> = {
      '/sys/class/net/eth0/statistics/rx_bytes': '123456789\n',
      '/sys/class/net/eth0/statistics/tx_bytes': '2345\n',
      '/sys/class/net/wwan0/statistics/rx_bytes': '17000000\n',
    };
    const reads: string[] = [];
    const readText = async (p: string) => {
      reads.push(p);
      const t = files[p];
      if (t === undefined) throw new Error('ENOENT');
      return t;
    };
    let t = 0;
    const d = createUplinkDriver({
      cfg,
      logger: fakeLogger(),
      exec: fakeExec().exec,
      carrier: async () => ({ carrier: true, operstate: 'up' }),
      clock: () => t,
      monitor: false,
      readText,
    });
    d.read(0);
    await tick();
    expect(d.stats()).toEqual({ 'uplink.fiber.rxBytes': 123456789, 'uplink.fiber.txBytes': 2345, 'uplink.lte.rxBytes': 17000000 });
    files['/sys/class/net/wwan0/statistics/rx_bytes'] = '17500000\n';
    t = 500;
    d.read(500);
    await tick();
    expect(reads).toHaveLength(4);
    t = 1000;
    d.read(1000);
    await tick();
    expect(d.stats()['uplink.lte.rxBytes']).toBe(17500000);
  });
});
