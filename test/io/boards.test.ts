// Every board file shipped in boards/ must validate, and pass check-config with the config that
// deploy/install.sh installs beside it: they are the examples installers copy.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/check.js';
import { isSimBoard, loadBoardFile, type HardwareBoardFile } from '../../src/drivers/board.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'boards');
const all = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const files = all.filter((f) => f !== 'sim.yaml');

/** check-config as `deploy/install.sh --board` runs it: the board with the config the installer picks for it. */
async function checkAsInstalled(board: string) {
  const r = spawnSync('bash', [join(root, 'deploy', 'install.sh'), '--board', board.replace(/\.yaml$/, ''), '--print-config'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const config = r.stdout.trim();
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkConfig(config, join(dir, board), { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { config: config.slice(root.length + 1), code, out, err };
}

describe('shipped board files', () => {
  it('there are hardware board files to check, a Pi 4 and a Pi 5 among them', () => {
    expect(files).toEqual(expect.arrayContaining(['rpi4-gpio-modbus.yaml', 'rpi5-gpio-modbus.yaml', 'rpi4-gpio-nut.yaml', 'arduino-firmata.yaml']));
  });

  it.each(files)('%s validates and maps both breakers', (f) => {
    const board = loadBoardFile(join(dir, f));
    expect(isSimBoard(board)).toBe(false);
    const hw = board as HardwareBoardFile;
    const names = [...hw.gpio.signals, ...(hw.firmata?.signals ?? []), ...(hw.firmata?.analog ?? []), ...hw.modbus.signals, ...(hw.nut?.signals ?? [])].map(
      (s) => s.name,
    );
    expect(names).toEqual(expect.arrayContaining(['breaker.A.closeCmd', 'breaker.B.closeCmd', 'breaker.A.closedFb', 'breaker.B.closedFb']));
  });

  it.each(all)('%s passes check-config with the config deploy/install.sh installs for it', async (f) => {
    const r = await checkAsInstalled(f);
    expect(r.err.filter((l) => !/warning|^ {2}signals\..*\.pin: /.test(l))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('the Arduino board gets its own config (it senses the feeds by contacts); the others the example', async () => {
    expect((await checkAsInstalled('arduino-firmata.yaml')).config).toBe('deploy/config.arduino-firmata.yaml');
    expect((await checkAsInstalled('rpi4-gpio-modbus.yaml')).config).toBe('deploy/config.example.yaml');
  });

  it.each([
    ['rpi4-gpio-modbus.yaml', 'pinctrl-bcm2711'],
    ['rpi5-gpio-modbus.yaml', 'pinctrl-rp1'],
    ['rpi4-gpio-nut.yaml', 'pinctrl-bcm2711'],
  ])('%s names its controller (%s) and is warned about its relays that are on from power-on, with the fix', async (f, chip) => {
    expect((loadBoardFile(join(dir, f)) as HardwareBoardFile).gpio.chip).toBe(chip);
    const r = await checkAsInstalled(f);
    expect(r.code).toBe(0);
    const fix = 'gpio=26,20,21,25=op,dh in /boot/firmware/config.txt';
    expect(r.err.filter((l) => l.includes(fix)).map((l) => l.trim().split(':')[0])).toEqual([
      'signals.breaker.A.closeCmd.pin',
      'signals.breaker.B.closeCmd.pin',
      'signals.generator.start.pin',
      'signals.uplink.lte.powerCycle.pin',
    ]);
  });
});
