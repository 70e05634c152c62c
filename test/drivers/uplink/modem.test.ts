// Modem signal from ModemManager, against a fake `mmcli` executable on PATH that answers like the
// real one (JSON with numbers as strings, "--" for unknown), not a mock of the driver's calls.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import { spawnExec } from '../../../src/drivers/uplink/exec.js';
import { createModemReader, parseModemInfo, parseSignal } from '../../../src/drivers/uplink/modem.js';
import { fakeLogger } from './fakes.js';

const INFO = JSON.stringify({
  modem: {
    '3gpp': { imei: '867962041294151', 'operator-code': '26201', 'operator-name': 'Telekom.de', 'registration-state': 'home' },
    'dbus-path': '/org/freedesktop/ModemManager1/Modem/0',
    generic: { 'access-technologies': ['lte'], manufacturer: 'QUALCOMM INCORPORATED', 'signal-quality': { recent: 'yes', value: '67' }, state: 'connected' },
  },
});
const SIGNAL = JSON.stringify({
  modem: {
    signal: {
      '5g': { 'error-rate': '--', rsrp: '--', rsrq: '--', snr: '--' },
      gsm: { 'error-rate': '--', rssi: '--' },
      lte: { 'error-rate': '--', rsrp: '-95.00', rsrq: '-11.00', rssi: '-65.00', snr: '12.40' },
      refresh: { rate: '10' },
      umts: { 'error-rate': '--', ecio: '--', rscp: '--', rssi: '--' },
    },
  },
});

describe('modem signal from mmcli', () => {
  let dir = '';
  const path = process.env.PATH;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twinfeed-mmcli-'));
    writeFileSync(join(dir, 'info.json'), INFO);
    writeFileSync(join(dir, 'signal.json'), SIGNAL);
    // Answers like mmcli: -m 0 only (another modem: "error: couldn't find modem", exit 1).
    const script = `#!/bin/sh
echo "$@" >> "${dir}/calls"
[ "$2" = "0" ] || { echo "error: couldn't find modem" >&2; exit 1; }
case "$3" in
  --signal-setup=*) echo "successfully setup signal refresh rate"; exit 0 ;;
  --signal-get) cat "${dir}/signal.json"; exit 0 ;;
  -J) cat "${dir}/info.json"; exit 0 ;;
esac
exit 1
`;
    writeFileSync(join(dir, 'mmcli'), script);
    chmodSync(join(dir, 'mmcli'), 0o755);
    process.env.PATH = `${dir}:${path ?? ''}`;
  });
  afterAll(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses the JSON mmcli prints: strings for numbers, "--" for unknown', () => {
    expect(parseModemInfo(INFO)).toEqual({ qualityPct: 67, tech: 'lte', operator: 'Telekom.de', operatorCode: '26201' });
    expect(parseSignal(SIGNAL)).toEqual({ rsrpDbm: -95, rsrqDb: -11, sinrDb: 12.4, rssiDbm: -65 });
  });

  it('reads signal quality, RSRP/RSRQ/SINR/RSSI and logs technology and operator; a wrong modem is a warning', async () => {
    const cfg = uplinksSchema.parse({
      links: [
        { id: 'fiber', modem: '7' },
        { id: 'lte', modem: '0' },
      ],
    });
    const log = fakeLogger();
    let t = 0;
    const r = createModemReader(cfg, spawnExec, log, () => t);
    r.refresh();
    for (let i = 0; i < 100 && r.values['uplink.lte.rsrpDbm'] === undefined; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.values).toEqual({
      'uplink.lte.signalQualityPct': 67,
      'uplink.lte.accessTech': 9,
      'uplink.lte.operatorCode': 26201,
      'uplink.lte.rsrpDbm': -95,
      'uplink.lte.rsrqDb': -11,
      'uplink.lte.sinrDb': 12.4,
      'uplink.lte.rssiDbm': -65,
    });
    // The name is text: beside the numbers, for status and metrics only.
    expect(r.texts).toEqual({ 'uplink.lte.operatorName': 'Telekom.de' });
    expect(log.lines).toContain('info uplink: lte on lte Telekom.de');
    expect(log.lines).toContain('warn uplink: mmcli cannot read modem 7 of fiber');
    // Not again before 10 s.
    t = 5000;
    r.refresh();
    writeFileSync(join(dir, 'info.json'), INFO.replace('"67"', '"--"'));
    t = 10_000;
    r.refresh();
    for (let i = 0; i < 100 && r.values['uplink.lte.signalQualityPct'] !== undefined; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.values['uplink.lte.signalQualityPct']).toBeUndefined();
  });
});
