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

/** `ip -o addr show dev IF` as the kernel prints it, for eth0 and (until it loses it) wwan0. */
const addrs = (wwanUp: () => boolean) => (line: string) => {
  if (line === 'ip -o addr show dev eth0')
    return {
      stdout:
        '2: eth0    inet 192.0.2.5/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever\n2: eth0    inet6 2001:db8::5/64 scope global \\       valid_lft forever\n2: eth0    inet6 fe80::1/64 scope link \\       valid_lft forever\n',
    };
  if (line === 'ip -o addr show dev wwan0') return { stdout: wwanUp() ? '3: wwan0    inet 198.51.100.7/30 scope global wwan0\n' : '' };
  // No flow matched: conntrack says so and exits 1.
  if (line.startsWith('conntrack -D') && line.includes('2001:db8'))
    return { code: 1, stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' };
  return {};
};

describe('route switching', () => {
  it('gives the selected uplink the low metric first, then demotes the other, then deletes only the flows of the uplink left', async () => {
    const x = fakeExec(addrs(() => true));
    const sw = createRouteSwitcher(cfg, x.exec, fakeLogger());
    sw.want('fiber', 0);
    await sw.idle();
    x.calls.length = 0;
    sw.want('lte', 1000);
    await sw.idle();
    expect(x.calls.filter((c) => !c.startsWith('ip -o addr'))).toEqual([
      'ip route replace default via 198.51.100.1 dev wwan0 metric 10',
      'ip route del default via 198.51.100.1 dev wwan0 metric 101',
      'ip route replace default via 192.0.2.1 dev eth0 metric 100',
      'ip route del default via 192.0.2.1 dev eth0 metric 10',
      'conntrack -D --orig-src 192.0.2.5',
      'conntrack -D --reply-dst 192.0.2.5',
      'conntrack -D -f ipv6 --orig-src 2001:db8::5',
      'conntrack -D -f ipv6 --reply-dst 2001:db8::5',
    ]);
    expect(sw.faults().size).toBe(0);
  });

  it('an uplink that lost its address by the switch is flushed by the address it had; with none ever known, everything', async () => {
    let wwan = true;
    const x = fakeExec(addrs(() => wwan));
    const sw = createRouteSwitcher(cfg, x.exec, fakeLogger());
    sw.want('lte', 0);
    await sw.idle();
    wwan = false;
    x.calls.length = 0;
    sw.want('fiber', 1000);
    await sw.idle();
    expect(x.calls.filter((c) => c.startsWith('conntrack'))).toEqual(['conntrack -D --orig-src 198.51.100.7', 'conntrack -D --reply-dst 198.51.100.7']);
    const y = fakeExec();
    const log = fakeLogger();
    const sw2 = createRouteSwitcher(cfg, y.exec, log);
    sw2.want('lte', 0);
    await sw2.idle();
    sw2.want('fiber', 1000);
    await sw2.idle();
    expect(y.calls.filter((c) => c.startsWith('conntrack'))).toEqual(['conntrack -F']);
    expect(log.lines).toContain('warn uplink: no address known for lte; flushing every conntrack flow');
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
    const x = fakeExec((line) =>
      broken && line.includes('replace') && line.includes('wwan0') ? { code: 2, stderr: 'Error: Nexthop has invalid gateway.' } : {},
    );
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
