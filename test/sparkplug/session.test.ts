// The edge node's session rules without a broker: seq numbering and its wrap, report by exception with
// deadbands, a rebirth when a metric appears, the bdSeq counter kept in stateDir, and the payloads as
// an independent decoder reads them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backoffMs, BDSEQ_FILE, createBdSeqCounter } from '../../src/sparkplug/bdseq.js';
import { loadConfig } from '../../src/config/load.js';
import { statusMetrics, type MetricValue } from '../../src/sparkplug/metrics.js';
import { decodeMetrics, encodePayload } from '../../src/sparkplug/proto.js';
import { createEdgeSession, deathPayload } from '../../src/sparkplug/session.js';
import { sampleStatus } from '../scada/fakes.js';
import { decodeSparkplug, rebirthCommand } from './wire.js';

const deadbands = { voltageV: 1, frequencyHz: 0.05, pct: 1, runtimeS: 30, latencyMs: 10, timerMs: 5000 };
const set = (voltageV: number | null, source: string, count = 0): MetricValue[] => [
  { name: 'Feeds/A/Voltage V', datatype: 'Double', value: voltageV, deadband: 'voltageV' },
  { name: 'Power/Source', datatype: 'String', value: source },
  { name: 'Counters/Transfers', datatype: 'Int64', value: count },
];

describe('Sparkplug edge session', () => {
  it('births with seq 0, the bdSeq and Node Control/Rebirth false; NDATA counts up from 1 and wraps 255 → 0', () => {
    const s = createEdgeSession(deadbands);
    s.connect(7);
    const birth = decodeSparkplug(encodePayload(s.birth(set(230, 'A'), 1000)));
    expect(birth.seq).toBe(0);
    expect(birth.metrics.slice(0, 2)).toMatchObject([
      { name: 'bdSeq', datatype: 4, value: 7 },
      { name: 'Node Control/Rebirth', datatype: 11, value: false },
    ]);
    expect(birth.metrics.map((m) => m.timestamp)).toEqual([1000, 1000, 1000, 1000, 1000]);
    const seqs: number[] = [];
    for (let i = 1; i <= 300; i++) {
      const p = s.data(set(230, 'A', i), 1000 + i);
      if (p === undefined || p === 'rebirth') throw new Error('expected an NDATA');
      seqs.push(decodeSparkplug(encodePayload(p)).seq ?? -1);
    }
    expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(seqs.slice(253, 258)).toEqual([254, 255, 0, 1, 2]);
  });

  it('sends only what changed, an analog value only past its deadband from the value last sent, with the scan time', () => {
    const s = createEdgeSession(deadbands);
    s.birth(set(230, 'A'), 0);
    expect(s.data(set(230.6, 'A'), 100)).toBeUndefined();
    expect(s.data(set(230.9, 'A'), 200)).toBeUndefined(); // still < 1 V from the 230 sent
    const p = s.data(set(231.2, 'B'), 300);
    if (p === undefined || p === 'rebirth') throw new Error('expected an NDATA');
    const d = decodeSparkplug(encodePayload(p));
    expect(d).toMatchObject({ timestamp: 300, seq: 1 });
    expect(d.metrics).toEqual([
      { name: 'Feeds/A/Voltage V', datatype: 10, timestamp: 300, value: 231.2 },
      { name: 'Power/Source', datatype: 12, timestamp: 300, value: 'B' },
    ]);
    // A meter that goes quiet is a change however small the deadband: null is sent as is_null.
    const q = s.data(set(null, 'B'), 400);
    if (q === undefined || q === 'rebirth') throw new Error('expected an NDATA');
    expect(decodeSparkplug(encodePayload(q)).metrics).toEqual([{ name: 'Feeds/A/Voltage V', datatype: 10, timestamp: 400, isNull: true }]);
  });

  it('asks for a rebirth when a metric appears that the birth did not list', () => {
    const s = createEdgeSession(deadbands);
    s.birth(set(230, 'A'), 0);
    expect(s.data([...set(230, 'A'), { name: 'Counters/Relay Operations/x', datatype: 'Int64', value: 1 }], 10)).toBe('rebirth');
  });

  it('NDEATH carries only the bdSeq and no seq', () => {
    const d = decodeSparkplug(encodePayload(deathPayload(255, 5)));
    expect(d).toEqual({ timestamp: 5, metrics: [{ name: 'bdSeq', datatype: 4, value: 255 }] });
  });

  it('reads an NCMD Rebirth as a host application encodes it', () => {
    expect(decodeMetrics(rebirthCommand(1_700_000_000_000))).toEqual([{ name: 'Node Control/Rebirth', value: true }]);
  });
});

describe('bdSeq counter and reconnect delay', () => {
  it('counts up per connect from 0, kept in stateDir across restarts, wrapping 255 → 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-bdseq-'));
    const problems: string[] = [];
    const a = createBdSeqCounter(dir, (p) => problems.push(p));
    expect([await a.next(), await a.next()]).toEqual([0, 1]);
    expect(readFileSync(join(dir, BDSEQ_FILE), 'utf8').trim()).toBe('1');
    expect(await createBdSeqCounter(dir, (p) => problems.push(p)).next()).toBe(2);
    writeFileSync(join(dir, BDSEQ_FILE), '255\n');
    expect(await createBdSeqCounter(dir, (p) => problems.push(p)).next()).toBe(0);
    expect(await createBdSeqCounter(null, (p) => problems.push(p)).next()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('backs off from about 1 s doubling to a 60 s cap, jittered over [half, full]', () => {
    expect([0, 1, 2, 10].map((n) => backoffMs(n, () => 1))).toEqual([1000, 2000, 4000, 60_000]);
    expect([0, 1, 10].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 30_000]);
  });
});

describe('the metric set', () => {
  const cfg = loadConfig(undefined, { sparkplug: { broker: 'mqtt://127.0.0.1:1', groupId: 'g', edgeNodeId: 'e' } }).config;
  const counters = (relayOperations: Record<string, number>) =>
    statusMetrics(cfg, { ...sampleStatus(), relayOperations }, 'h')
      .filter((m) => m.name.startsWith('Counters/Relay Operations/'))
      .map((m) => [m.name.slice('Counters/Relay Operations/'.length), m.value]);

  it('lists a counter for every configured output from the start, and one more once an output outside them operates (then a rebirth)', () => {
    const outputs = [
      'alarm.common',
      'breaker.A.closeCmd',
      'breaker.B.closeCmd',
      'generator.start',
      ...cfg.uplinks.links.flatMap((l) => [`uplink.${l.id}.powerCycle`, `uplink.${l.id}.selected`]),
    ].sort();
    expect(counters({})).toEqual(outputs.map((o) => [o, 0]));
    expect(counters({ 'breaker.A.closeCmd': 3 })).toEqual(outputs.map((o) => [o, o === 'breaker.A.closeCmd' ? 3 : 0]));
    // The names are kept between scans; an output that was not listed must still appear.
    const s = createEdgeSession(deadbands);
    s.birth(statusMetrics(cfg, { ...sampleStatus(), relayOperations: { 'breaker.A.closeCmd': 3 } }, 'h'), 0);
    expect(counters({ 'breaker.A.closeCmd': 3, 'an.unlisted.output': 1 })).toContainEqual(['an.unlisted.output', 1]);
    expect(s.data(statusMetrics(cfg, { ...sampleStatus(), relayOperations: { 'breaker.A.closeCmd': 3, 'an.unlisted.output': 1 } }, 'h'), 10)).toBe('rebirth');
    // And goes again when it is no longer reported.
    expect(counters({ 'breaker.A.closeCmd': 4 })).toEqual(outputs.map((o) => [o, o === 'breaker.A.closeCmd' ? 4 : 0]));
  });
});
