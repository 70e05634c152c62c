// The appended uplink traffic and modem radio registers (60–91): what a SCADA master reads.
import { describe, expect, it } from 'vitest';
import { encodeStatus, imageWords, newStatusImage } from '../../src/scada/image.js';
import { REGISTERS } from '../../src/scada/map.js';
import { published, sampleStatus, UPLINK_IDS } from './fakes.js';

const words = (s = sampleStatus()) => {
  const img = newStatusImage();
  encodeStatus(published(s), { uplinkIds: UPLINK_IDS }, img);
  return imageWords(img);
};
const s16 = (w: number | undefined) => ((w ?? 0) >= 0x8000 ? (w ?? 0) - 0x10000 : (w ?? 0));
const at = (name: string) => REGISTERS.find((r) => r.name === name)?.address ?? -1;

describe('uplink traffic and radio registers', () => {
  it('sit at 60–75 (uplink 1) and 76–91 (uplink 2)', () => {
    expect([at('uplink1RxBytes'), at('uplink1OperatorCode'), at('uplink2RxBytes'), at('uplink2OperatorCode')]).toEqual([60, 74, 76, 90]);
  });

  it('encodes bytes as u64, negative dBm/dB as two’s complement, technology and operator as codes', () => {
    const s = sampleStatus();
    const lte = s.uplink.lte;
    if (typeof lte !== 'object' || lte === null) throw new Error('sample has lte');
    Object.assign(lte, {
      rxBytes: 2 ** 33 + 5,
      txBytes: 70_000,
      radio: { tech: 'lte', operatorCode: '26201', operatorName: 'Telekom.de', qualityPct: 67, rsrpDbm: -95, rsrqDb: -11.5, sinrDb: -2.4, rssiDbm: -65 },
    });
    const w = words(s);
    expect(w.slice(76, 84)).toEqual([0, 2, 0, 5, 0, 0, 1, 70_000 - 65_536]);
    expect(w[84]).toBe(9);
    expect(w[85]).toBe(67);
    expect([w[86], w[87], w[88], w[89]].map(s16)).toEqual([-95, -115, -24, -65]);
    expect((w[90] ?? 0) * 65_536 + (w[91] ?? 0)).toBe(26201);
    // Uplink 1 (fiber) has no readings: all 0.
    expect(w.slice(60, 76)).toEqual(new Array(16).fill(0));
  });
});
