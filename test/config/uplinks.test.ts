// Uplink ids `active` and `manual` are status keys (`uplink.active`, `uplink.manual`): the config refuses them.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, files } from '../cli/cli-helpers.js';
import { validateConfig } from '../../src/config/load.js';
import { configErrorLines as errorsOf } from '../error-lines.js';

const links = (...ids: string[]) => ({ uplinks: { links: ids.map((id) => ({ id })) } });

describe('reserved uplink ids', () => {
  it.each(['active', 'manual'])('refuses the id %s with `path: problem (hint)`', (id) => {
    expect(errorsOf(links('fiber', id))).toEqual([
      `uplinks.links[1].id: "${id}" is reserved (status has uplink.active and uplink.manual; choose another id, e.g. "${id}1")`,
    ]);
  });

  it('accepts ids that only contain a reserved word', () => {
    expect(errorsOf(links('active1', 'manual-lte'))).toEqual([]);
  });
});

describe('twinfeed run with a reserved uplink id', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('exits 78 and names the key, before listening on anything', async () => {
    const f = files({ 'reserved.yaml': 'uplinks:\n  links:\n    - id: fiber\n    - id: active\n' });
    const r = await cli(['run', '--config', f['reserved.yaml'] as string]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('uplinks.links[1].id: "active" is reserved (');
  });
});

describe('modem recovery ladder config', () => {
  it('has the documented defaults and refuses a step wait too short to act', () => {
    const lte = { id: 'lte', modem: 'any' };
    expect(errorsOf({ uplinks: { links: [{ id: 'fiber' }, { ...lte, recovery: { afterMs: '1s', resetWaitMs: 500 } }] } })).toEqual([
      'uplinks.links[1].recovery.afterMs: shorter than 2 s (a step needs time to act; e.g. "30s")',
      'uplinks.links[1].recovery.resetWaitMs: shorter than 2 s (a step needs time to act; e.g. "30s")',
    ]);
    const cfg = validateConfig({ uplinks: { links: [{ id: 'fiber' }, lte] } }, 'test.yaml');
    expect(cfg.uplinks.links[1]?.recovery).toEqual({
      enabled: true,
      afterMs: 30_000,
      reconnects: 2,
      reconnectWaitMs: 60_000,
      resets: 1,
      resetWaitMs: 180_000,
      resetsPerHour: 2,
    });
  });
});

describe('modem APN config', () => {
  const lte = (over: Record<string, unknown>) => ({ uplinks: { links: [{ id: 'fiber' }, { id: 'lte', modem: 'any', ...over }] } });

  it('accepts APNs as operators write them', () => {
    for (const apn of ['internet', 'internet.telekom', 'web.vodafone.de', 'm2m.example-op_1', 'A1'])
      expect(errorsOf(lte({ apn, ipType: 'ipv4v6' })), apn).toEqual([]);
  });

  it('refuses an APN that would change what mmcli --simple-connect reads, naming the key', () => {
    for (const apn of ['internet,user=x', 'a"b', "it's", 'two words', 'apn=x', '.internet', '', 'x'.repeat(101)]) {
      const lines = errorsOf(lte({ apn }));
      expect(lines, apn).toHaveLength(1);
      expect(lines[0]).toMatch(/^uplinks\.links\[1\]\.apn: not an APN: letters, digits, "\.", "-" and "_"/);
    }
  });

  it('wants the modem for an APN and the APN for an ip type; knows ModemManager ip types', () => {
    expect(errorsOf({ uplinks: { links: [{ id: 'fiber' }, { id: 'lte', apn: 'internet' }] } })).toEqual([
      `uplinks.links[1].apn: apn is for the modem's reconnect (set links[].modem too, e.g. "any")`,
    ]);
    expect(errorsOf(lte({ ipType: 'ipv4' }))).toEqual(['uplinks.links[1].ipType: ipType goes with apn (the connection is made with both)']);
    expect(errorsOf(lte({ apn: 'internet', ipType: 'ip4' }))[0]).toMatch(/^uplinks\.links\[1\]\.ipType: /);
  });
});
