// Byte counters and modem radio readings reach each uplink's status entry (what /status and SCADA show).
import { describe, expect, it } from 'vitest';
import type { Reading, SignalName } from '../../../src/core/types.js';
import { initialUplinkState, stepUplinks, uplinkStatus, type UplinkState } from '../../../src/core/uplink/index.js';
import { config } from './helpers.js';

const cfg = config({ links: [{ id: 'fiber', interface: 'eth0' }, { id: 'lte', interface: 'wwan0', modem: 'any' }, { id: 'sim' }] });
const r = (value: number): Reading => ({ value, ageMs: 100 });

function stepWith(state: UplinkState, nowMs: number, inputs: [SignalName, Reading][]) {
  return stepUplinks(cfg, state, { nowMs, carrier: () => undefined, probes: [], commands: [], inputs: new Map(inputs) });
}

describe('uplink measurements in status', () => {
  it('shows bytes per uplink and the radio of a modem uplink; unknown stays null', () => {
    const res = stepWith(initialUplinkState(cfg), 1000, [
      ['uplink.fiber.rxBytes', r(123_456_789)],
      ['uplink.fiber.txBytes', r(9_876)],
      ['uplink.lte.rxBytes', r(5_000_000)],
      ['uplink.lte.signalQualityPct', r(67)],
      ['uplink.lte.accessTech', r(9)],
      ['uplink.lte.operatorCode', r(26201)],
      ['uplink.lte.rsrpDbm', r(-95)],
      ['uplink.lte.rsrqDb', r(-11)],
      ['uplink.lte.sinrDb', r(12.4)],
    ]);
    const st = uplinkStatus(cfg, res.state);
    expect(st.fiber).toMatchObject({ rxBytes: 123_456_789, txBytes: 9_876, radio: null });
    expect(st.lte).toMatchObject({
      rxBytes: 5_000_000,
      txBytes: null,
      radio: { tech: 'lte', operatorCode: '26201', operatorName: null, qualityPct: 67, rsrpDbm: -95, rsrqDb: -11, sinrDb: 12.4, rssiDbm: null },
    });
    // An uplink the driver does not measure (no interface, no modem) shows nulls.
    expect(st.sim).toMatchObject({ rxBytes: null, txBytes: null, radio: null });
  });

  it('follows new readings, and an idle step with the same readings changes nothing', () => {
    const a = stepWith(initialUplinkState(cfg), 1000, [['uplink.fiber.rxBytes', r(100)]]);
    const same = stepWith(a.state, 1001, [['uplink.fiber.rxBytes', r(100)]]);
    expect(same.state.links).toBe(a.state.links);
    const b = stepWith(a.state, 2000, [['uplink.fiber.rxBytes', r(2100)]]);
    expect(uplinkStatus(cfg, b.state).fiber).toMatchObject({ rxBytes: 2100 });
    // A reading that goes away (the driver lost it) is unknown again, not the last value.
    const c = stepWith(b.state, 3000, []);
    expect(uplinkStatus(cfg, c.state).fiber).toMatchObject({ rxBytes: null });
  });
});
