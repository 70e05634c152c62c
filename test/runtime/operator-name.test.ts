// The modem's operator name is text: it goes around the core, from the driver's texts() into /status
// (`radio.operatorName`) and /metrics (an info gauge), while the SCADA register keeps MCC+MNC.
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { Reading, SignalName, UplinkStatus } from '../../src/core/types.js';
import type { Board } from '../../src/io/ports.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createScanLoop, type ScanLoop } from '../../src/runtime/scan.js';
import { createSimBoard } from '../../src/runtime/simboard.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const cfg = validateConfig({ uplinks: { links: [{ id: 'fiber' }, { id: 'lte', modem: 'any', interface: 'wwan0' }] } }, 'test');

let current: ScanLoop | undefined;
afterEach(() => current?.stop());

/** The sim board plus what the uplink driver would report for a registered LTE modem. */
function withModem(names: Record<string, string>): Board {
  const sim = createSimBoard(cfg, T0);
  const radio: [SignalName, Reading][] = [
    ['uplink.lte.accessTech', { value: 9, ageMs: 0 }],
    ['uplink.lte.operatorCode', { value: 26201, ageMs: 0 }],
    ['uplink.lte.signalQualityPct', { value: 67, ageMs: 0 }],
  ];
  return { ...sim, read: (now) => new Map([...sim.read(now), ...radio]), texts: () => names };
}

describe('operator name', () => {
  it('shows in /status as radio.operatorName and in /metrics as an info label beside the code', async () => {
    const names: Record<string, string> = {};
    let now = T0;
    const loop = createScanLoop({ config: cfg, configHash: 'x', board: withModem(names), clock: () => now });
    current = loop;
    loop.start();
    const lte = () => loop.latest().status.uplink.lte as UplinkStatus;
    // Read before the name is known: null, the code is there.
    expect(lte().radio).toMatchObject({ tech: 'lte', operatorCode: '26201', operatorName: null });
    names['uplink.lte.operatorName'] = 'Telekom.de';
    now += 100;
    loop.scanNow();
    expect(lte().radio).toMatchObject({ operatorCode: '26201', operatorName: 'Telekom.de' });
    const m = createMetrics(loop.latest, ['fiber', 'lte']);
    const text = await m.registry.metrics();
    expect(text).toContain('twinfeed_uplink_operator_info{id="lte",operator="Telekom.de",code="26201"} 1');
    expect(text).not.toContain('twinfeed_uplink_operator_info{id="fiber"');
    // The operator changes (roaming): only the new one is shown.
    names['uplink.lte.operatorName'] = 'Vodafone.de';
    now += 100;
    loop.scanNow();
    const after = await m.registry.metrics();
    expect(after).toContain('operator="Vodafone.de"');
    expect(after).not.toContain('operator="Telekom.de"');
  });
});
