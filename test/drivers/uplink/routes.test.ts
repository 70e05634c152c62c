import { describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import { createRouteSwitcher } from '../../../src/drivers/uplink/routes.js';
import { fakeExec, fakeLogger } from './fakes.js';

const cfg = uplinksSchema.parse({
  links: [
    { id: 'fiber', interface: 'eth0', gateway: '192.0.2.1', targets: ['192.0.2.10'] },
    { id: 'lte', interface: 'wwan0', gateway: '198.51.100.1', targets: ['198.51.100.10'] },
  ],
});

describe('route switching', () => {
  it('gives the selected uplink the low metric first, then demotes the other, then flushes conntrack', async () => {
    const x = fakeExec();
    const sw = createRouteSwitcher(cfg, x.exec, fakeLogger());
    sw.want('fiber', 0);
    await sw.idle();
    x.calls.length = 0;
    sw.want('lte', 1000);
    await sw.idle();
    expect(x.calls).toEqual([
      'ip route replace default via 198.51.100.1 dev wwan0 metric 10',
      'ip route del default via 198.51.100.1 dev wwan0 metric 101',
      'ip route replace default via 192.0.2.1 dev eth0 metric 100',
      'ip route del default via 192.0.2.1 dev eth0 metric 10',
      'conntrack -F',
    ]);
    expect(sw.faults().size).toBe(0);
  });

  it('does nothing while the selection is unchanged, and leaves routes alone when none is selected', async () => {
    const x = fakeExec();
    const sw = createRouteSwitcher(cfg, x.exec, fakeLogger());
    sw.want('fiber', 0);
    await sw.idle();
    const n = x.calls.length;
    sw.want('fiber', 100);
    sw.want('none', 200);
    await sw.idle();
    expect(x.calls.length).toBe(n);
  });

  it('a failing route command is a fault (logged), retried after retryMs, and cleared when it works', async () => {
    let broken = true;
    const x = fakeExec((line) => (broken && line.includes('replace') && line.includes('wwan0') ? { code: 2, stderr: 'Error: Nexthop has invalid gateway.' } : {}));
    const log = fakeLogger();
    const sw = createRouteSwitcher(cfg, x.exec, log);
    sw.want('lte', 0);
    await sw.idle();
    expect(sw.faults().get('route.lte')).toBe('ip route replace default via 198.51.100.1 dev wwan0 metric 10: exit 2 (Error: Nexthop has invalid gateway.)');
    expect(log.lines.some((l) => l.startsWith('error uplink action failed'))).toBe(true);
    const n = x.calls.length;
    sw.want('lte', 1000);
    await sw.idle();
    expect(x.calls.length).toBe(n); // not before retryMs
    broken = false;
    sw.want('lte', 5000);
    await sw.idle();
    expect(x.calls.length).toBeGreaterThan(n);
    expect(sw.faults().size).toBe(0);
  });

  it('a missing conntrack binary is a fault, not a crash', async () => {
    const x = fakeExec((line) => (line.startsWith('conntrack') ? { code: null, error: 'ENOENT' } : {}));
    const sw = createRouteSwitcher(cfg, x.exec, fakeLogger());
    sw.want('fiber', 0);
    await sw.idle();
    sw.want('lte', 10);
    await sw.idle();
    expect(sw.faults().get('conntrack')).toBe('conntrack -F: ENOENT');
  });
});
