// The driver's side of the modem recovery ladder, against a fake `mmcli` executable on PATH that
// answers like the real one and records what it was asked (not a mock of the driver's calls).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uplinksSchema } from '../../../src/config/uplinks.js';
import type { SignalName } from '../../../src/core/types.js';
import { spawnExec, type Exec } from '../../../src/drivers/uplink/exec.js';
import { createUplinkDriver } from '../../../src/drivers/uplink/index.js';
import { fakeExec, fakeLogger } from './fakes.js';

const BEARER = '/org/freedesktop/ModemManager1/Bearer/3';
const info = (bearers: string[]) =>
  JSON.stringify({
    modem: {
      '3gpp': { 'operator-name': 'Telekom.de', 'registration-state': 'home' },
      'dbus-path': '/org/freedesktop/ModemManager1/Modem/0',
      generic: { 'access-technologies': ['lte'], bearers, 'signal-quality': { recent: 'yes', value: '12' }, state: 'registered' },
    },
  });

describe('modem recovery through mmcli', () => {
  let dir = '';
  const path = process.env.PATH;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twinfeed-mmcli-ladder-'));
    // Like mmcli: `-m 0` or `-m any` only; `-b PATH` only for an existing bearer; a reset may be refused.
    const script = `#!/bin/sh
echo "$@" >> "${dir}/calls"
case "$1 $2" in
  "-m 0"|"-m any") ;;
  "-b ${BEARER}") ;;
  "-b "*) echo "error: couldn't find bearer at '$2'" >&2; exit 1 ;;
  *) echo "error: couldn't find modem" >&2; exit 1 ;;
esac
case "$3" in
  -J) cat "${dir}/info.json"; exit 0 ;;
  --disconnect) echo "successfully disconnected the bearer"; exit 0 ;;
  --connect) echo "successfully connected the bearer"; exit 0 ;;
  --simple-disconnect) echo "successfully disconnected all bearers in the modem"; exit 0 ;;
  --simple-connect=*apn=*) echo "successfully connected the modem"; exit 0 ;;
  --simple-connect*) echo "error: couldn't connect the modem: 'GDBus.Error:org.freedesktop.ModemManager1.Error.Core.InvalidArgs: Invalid properties'" >&2; exit 1 ;;
  --reset)
    if [ -e "${dir}/no-reset" ]; then echo "error: couldn't reset the modem: 'GDBus.Error:org.freedesktop.ModemManager1.Error.Core.Unsupported: Cannot reset the modem: operation not supported'" >&2; exit 1; fi
    echo "successfully reset the modem"; exit 0 ;;
  --signal-setup=*) echo "successfully setup signal refresh rate"; exit 0 ;;
esac
echo "error: unknown option" >&2; exit 1
`;
    writeFileSync(join(dir, 'mmcli'), script);
    chmodSync(join(dir, 'mmcli'), 0o755);
    process.env.PATH = `${dir}:${path ?? ''}`;
  });
  beforeEach(() => {
    rmSync(join(dir, 'calls'), { force: true });
    rmSync(join(dir, 'no-reset'), { force: true });
    writeFileSync(join(dir, 'info.json'), info([BEARER]));
  });
  afterAll(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  const calls = () => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : []);
  // mmcli runs for real (the fake on PATH); route commands go to a recorder so the test never touches the host.
  const routes = fakeExec();
  const exec: Exec = (cmd, args, t) => (cmd === 'mmcli' ? spawnExec(cmd, args, t) : routes.exec(cmd, args, t));
  const cfg = (recovery: Record<string, unknown> = {}, lte: Record<string, unknown> = {}) =>
    uplinksSchema.parse({
      links: [
        { id: 'fiber', targets: ['192.0.2.10'] },
        { id: 'lte', interface: 'wwan0', modem: 'any', targets: ['198.51.100.10'], recovery, ...lte },
      ],
    });
  const image = (reconnect: boolean, reset: boolean) =>
    new Map<SignalName, boolean>([
      ['uplink.fiber.selected', true],
      ['uplink.lte.selected', false],
      ['uplink.lte.modemReconnect', reconnect],
      ['uplink.lte.modemReset', reset],
    ]);
  const open = (c = cfg()) => {
    const log = fakeLogger();
    const d = createUplinkDriver({ cfg: c, logger: log, exec, carrier: async () => ({ carrier: true, operstate: 'up' }), monitor: false });
    return { d, log };
  };

  it('reconnects the bearer on the rising edge of modemReconnect, once per edge', async () => {
    const { d, log } = open();
    d.write(image(false, false), 0);
    d.write(image(true, false), 1000);
    d.write(image(true, false), 1500);
    await d.close();
    d.write(image(false, false), 2000);
    await d.close();
    expect(calls()).toEqual(['-m any -J', `-b ${BEARER} --disconnect`, `-b ${BEARER} --connect`]);
    expect(log.lines).toContain('info uplink: lte: bearer reconnected');
  });

  it('with an APN, reconnects by a simple connect with it (and the ip type), one argument, no shell', async () => {
    const { d, log } = open(cfg({}, { apn: 'internet.telekom', ipType: 'ipv4v6' }));
    d.write(image(false, false), 0);
    d.write(image(true, false), 1000);
    await d.close();
    expect(calls()).toEqual(['-m any --simple-disconnect', '-m any --simple-connect=apn=internet.telekom,ip-type=ipv4v6']);
    expect(log.lines).toContain('info uplink: lte: connected with APN internet.telekom');
    const apnOnly = open(cfg({}, { apn: 'm2m.example-op_1' }));
    apnOnly.d.write(image(false, false), 0);
    apnOnly.d.write(image(true, false), 1000);
    await apnOnly.d.close();
    expect(calls().slice(2)).toEqual(['-m any --simple-disconnect', '-m any --simple-connect=apn=m2m.example-op_1']);
  });

  it('resets the modem on the rising edge of modemReset; a refused reset is a warning naming the command', async () => {
    const { d, log } = open();
    d.write(image(false, false), 0);
    d.write(image(false, true), 1000);
    await d.close();
    expect(calls()).toEqual(['-m any --reset']);
    expect(log.lines).toContain('info uplink: lte: modem any reset');
    writeFileSync(join(dir, 'no-reset'), '');
    d.write(image(false, false), 2000);
    d.write(image(false, true), 3000);
    await d.close();
    expect(calls()).toHaveLength(2);
    expect(log.lines.some((l) => l.startsWith("warn uplink: mmcli -m any --reset: exit 1 (error: couldn't reset the modem"))).toBe(true);
  });

  it('warns when the modem has no bearer to reconnect, and connects nothing', async () => {
    writeFileSync(join(dir, 'info.json'), info([]));
    const { d, log } = open();
    d.write(image(false, false), 0);
    d.write(image(true, false), 1000);
    await d.close();
    expect(calls()).toEqual(['-m any -J']);
    expect(log.lines).toContain('warn uplink: lte: modem any has no bearer to reconnect');
  });

  it('asks mmcli nothing with recovery switched off', async () => {
    const { d } = open(cfg({ enabled: false }));
    d.write(image(false, false), 0);
    d.write(image(true, true), 1000);
    await d.close();
    expect(calls()).toEqual([]);
  });
});
