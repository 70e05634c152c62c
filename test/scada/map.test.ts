import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_CODES, TIMER_NAMES } from '../../src/core/types.js';
import { encodeStatus, imageWords, newStatusImage } from '../../src/scada/image.js';
import { MAP_END, REGISTERS, STATUS_BLOCK_WORDS, TRANSFER_REASON_CODES, WORDS } from '../../src/scada/map.js';
import { README_END, README_START, readmeRegisterSection, renderRegisters, withRegisterSection } from '../../src/scada/render.js';
import { published, sampleStatus, UPLINK_IDS } from './fakes.js';

const words = (p = published(), uplinkIds = UPLINK_IDS) => {
  const img = newStatusImage();
  encodeStatus(p, { uplinkIds }, img);
  return imageWords(img);
};

describe('register table', () => {
  it('has addresses exactly as scada.md, without overlaps, status inside 0–99 and commands at 100–102', () => {
    const used = new Map<number, string>();
    for (const r of REGISTERS) {
      for (let a = r.address; a < r.address + WORDS[r.type]; a++) {
        expect(used.has(a), `address ${a} used by ${used.get(a)} and ${r.name}`).toBe(false);
        used.set(a, r.name);
      }
      if (r.access === 'r' && r.read) expect(r.address + WORDS[r.type]).toBeLessThanOrEqual(STATUS_BLOCK_WORDS);
    }
    const at = (name: string) => REGISTERS.find((r) => r.name === name)?.address;
    expect([at('mapVersion'), at('heartbeat'), at('transferCount'), at('alarms'), at('configHash'), at('uptimeS'), at('lockout')]).toEqual([
      0, 1, 16, 18, 32, 36, 38,
    ]);
    expect([at('uplink2LatencyMs'), at('select'), at('operate'), at('commandStatus')]).toEqual([30, 100, 101, 102]);
    expect(MAP_END).toBe(103);
  });
});

describe('encoding a published scan', () => {
  it('encodes the healthy cabinet with scales, flags, masks and uplinks in config order', () => {
    const w = words(published(sampleStatus(), { uptimeS: 70_000 }));
    expect(w.slice(0, 13)).toEqual([1, 70_000 - 65_536, 1, 1, 1, 0b1, 0b10, 2300, 5001, 0, 0, 0b0011, 0]);
    expect(w.slice(20, 31)).toEqual([0, 100, 1200, 0b111, 0, 1, 0b11, 0, 12, 33, 80]);
    expect(w.slice(32, 39)).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef, 1, 70_000 - 65_536, 0]);
    expect(w.slice(39)).toEqual(new Array(STATUS_BLOCK_WORDS - 39).fill(0));
  });

  it('heartbeat is uptime modulo 65536, uptime a u32', () => {
    expect(words(published(sampleStatus(), { uptimeS: 65_535 }))[1]).toBe(65_535);
    expect(words(published(sampleStatus(), { uptimeS: 65_536 }))[1]).toBe(0);
    expect(words(published(sampleStatus(), { uptimeS: 65_536 }))[36]).toBe(1);
  });

  it('clamps out-of-range values and reads unknown values as 0 with comm lost flagged', () => {
    const s = sampleStatus();
    s.feeds.A = { available: false, reason: 'comm', voltageV: null, frequencyHz: null };
    s.feeds.B = { available: true, reason: 'ok', voltageV: 99_999, frequencyHz: -3 };
    s.ups = { onBattery: true, lowBattery: true, fault: false, comm: false, chargePct: null, runtimeS: 1e9 };
    s.timer = { name: 'retransfer', remainingMs: 1001 };
    s.transferCount = 2 ** 40;
    const w = words(published(s));
    expect([w[5], w[7], w[8], w[6], w[9], w[10]]).toEqual([0b100000, 0, 0, 0b1, 65_535, 0]);
    expect([w[20], w[21], w[22]]).toEqual([0b1011, 0, 65_535]);
    expect([w[13], w[14]]).toEqual([TIMER_NAMES.indexOf('retransfer'), 2]);
    expect([w[16], w[17]]).toEqual([0xffff, 0xffff]);
  });

  it('sets one alarm bit per active code in ALARM_CODES order, high word first', () => {
    const s = sampleStatus();
    s.alarms = ['SOURCE_A_FAIL', 'RETRANSFER_PENDING_APPROVAL', 'UPS_ON_BATTERY'];
    const w = words(published(s));
    expect(((w[18] ?? 0) << 16) | (w[19] ?? 0)).toBe((1 << 0) | (1 << ALARM_CODES.indexOf('RETRANSFER_PENDING_APPROVAL')) | (1 << 8));
  });

  it('numbers enums as documented', () => {
    const s = sampleStatus();
    Object.assign(s, { mode: 'test', transfer: 'lockout', source: 'none', generator: 'cooldown', lastTransferReason: 'deadOutput', lockout: true });
    s.psu = { ...s.psu, state: 'insufficient', okIds: ['3'] };
    s.uplink = { ...s.uplink, active: 'lte' };
    const w = words(published(s));
    expect([w[2], w[3], w[4], w[12], w[15], w[38], w[23], w[24], w[25]]).toEqual([3, 5, 0, 3, TRANSFER_REASON_CODES.indexOf('deadOutput'), 1, 0b100, 2, 2]);
    expect(TRANSFER_REASON_CODES[0]).toBe('none');
  });

  it('takes uplink 1/2 from the ids given, whatever the key order of the status', () => {
    const w = words(published(), ['lte', 'fiber']);
    expect([w[25], w[27], w[28], w[29], w[30]]).toEqual([2, 33, 80, 0, 12]);
    expect(words(published(), [])[25]).toBe(0);
  });

  it('survives a malformed status: an odd field reads 0 instead of breaking the block', () => {
    const s = sampleStatus() as unknown as Record<string, unknown>;
    delete s.feeds;
    const w = words(published(s as never, { configHash: 'not-hex' }));
    expect([w[0], w[5], w[7], w[32]]).toEqual([1, 0, 0, 0]);
  });
});

describe('rendering', () => {
  it('md shows 0-based and 1-based addresses for every register', () => {
    const md = renderRegisters('md');
    for (const r of REGISTERS) expect(md).toContain(`\`${r.name}\``);
    expect(md).toContain('| 16–17 | 30017–30018 / 40017–40018 | `transferCount` |');
    expect(md).toContain('| 100 | 40101 | `select` |');
    expect(md).toContain('11 manualRevert');
  });

  it('json lists every register with its words and the command codes', () => {
    const j = JSON.parse(renderRegisters('json')) as { registers: { name: string; words: number }[]; commands: { code: number }[] };
    expect(j.registers.map((r) => r.name)).toEqual(REGISTERS.map((r) => r.name));
    expect(j.registers.find((r) => r.name === 'configHash')?.words).toBe(4);
    expect(j.commands.map((c) => c.code)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('csv has one line per register, quoted where needed', () => {
    const lines = renderRegisters('csv').split('\n');
    expect(lines).toHaveLength(REGISTERS.length + 1);
    expect(lines[3]).toBe('2,1,30003,40003,mode,u16,r,1,,"operating mode: 1 auto, 2 manual, 3 test"');
  });

  it('regenerates a README section between the markers', () => {
    const readme = `# x\n${README_START}\nold\n${README_END}\ntail\n`;
    const next = withRegisterSection(readme);
    expect(readmeRegisterSection(next)).toBe(renderRegisters('md').trim());
    expect(next.endsWith(`${README_END}\ntail\n`)).toBe(true);
    expect(readmeRegisterSection('no markers')).toBeUndefined();
  });

  it("the README's register section is the generated table (regenerate with withRegisterSection)", () => {
    const path = new URL('../../README.md', import.meta.url);
    const readme = existsSync(path) ? readFileSync(path, 'utf8') : 'README.md is missing';
    expect(readmeRegisterSection(readme), `README.md needs a ${README_START} … ${README_END} section`).toBe(renderRegisters('md').trim());
  });
});
