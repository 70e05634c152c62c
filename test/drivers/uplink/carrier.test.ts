import { describe, expect, it } from 'vitest';
import { parseIpLink, sysfsCarrier } from '../../../src/drivers/uplink/carrier.js';
import { parseMonitorLine } from '../../../src/drivers/uplink/monitor.js';

describe('carrier sense', () => {
  it('reads carrier and operstate from sysfs; an admin-down link (EINVAL on carrier) has none', async () => {
    const files: Record<string, string> = {
      '/sys/class/net/eth0/carrier': '1\n',
      '/sys/class/net/eth0/operstate': 'up\n',
      '/sys/class/net/eth1/operstate': 'down\n',
    };
    const read = sysfsCarrier(async (p) => {
      const v = files[p];
      if (v === undefined) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      return v;
    });
    expect(await read('eth0')).toEqual({ carrier: true, operstate: 'up' });
    expect(await read('eth1')).toEqual({ carrier: false, operstate: 'down' });
    expect(await read('nope0')).toEqual({ carrier: false, operstate: 'missing' });
    expect(await read('../etc')).toEqual({ carrier: false, operstate: 'invalid-name' });
  });

  it('parses `ip -o link` lines: LOWER_UP is carrier', () => {
    expect(parseIpLink('5: c-f0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT')).toEqual({
      carrier: true,
      operstate: 'up',
    });
    expect(parseIpLink('5: c-f0@if4: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT')).toEqual({
      carrier: false,
      operstate: 'lowerlayerdown',
    });
  });

  it('reads `ip -o monitor link` lines: the interface without its peer, carrier from the flags, deletions as missing', () => {
    expect(
      parseMonitorLine(
        '3: c-f0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default \\    link/ether 9e:0e:fc:c7:83:41 brd ff:ff:ff:ff:ff:ff',
      ),
    ).toEqual({
      iface: 'c-f0',
      sense: { carrier: false, operstate: 'lowerlayerdown' },
    });
    expect(
      parseMonitorLine(
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default \\    link/ether 00:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff',
      ),
    ).toEqual({
      iface: 'eth0',
      sense: { carrier: true, operstate: 'up' },
    });
    expect(parseMonitorLine('Deleted 4: wwan0: <POINTOPOINT,NOARP> mtu 1500 qdisc noop state DOWN group default')).toEqual({
      iface: 'wwan0',
      sense: { carrier: false, operstate: 'missing' },
    });
    expect(parseMonitorLine('    link/ether 00:11:22:33:44:55')).toBeUndefined();
  });
});
