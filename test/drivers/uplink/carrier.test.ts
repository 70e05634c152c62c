import { describe, expect, it } from 'vitest';
import { parseIpLink, sysfsCarrier } from '../../../src/drivers/uplink/carrier.js';

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
    expect(parseIpLink('5: c-f0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT')).toEqual({ carrier: true, operstate: 'up' });
    expect(parseIpLink('5: c-f0@if4: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT')).toEqual({
      carrier: false,
      operstate: 'lowerlayerdown',
    });
  });
});
