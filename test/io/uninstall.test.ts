// deploy/install.sh --uninstall in a staged root (TWINFEED_INSTALL_ROOT), with systemctl, udevadm and
// userdel replaced by stubs on PATH that record their arguments: the program, unit and udev rules go;
// config, state and journal stay unless --purge.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'deploy', 'install.sh');
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('SKIP install.sh --uninstall tests: they need root (the script refuses otherwise)');

const INSTALLED = [
  'opt/twinfeed/dist/src/cli/main.js',
  'etc/systemd/system/twinfeed.service',
  'etc/udev/rules.d/99-twinfeed.rules',
  'etc/twinfeed/config.yaml',
  'etc/twinfeed/board.yaml',
  'var/lib/twinfeed/state.json',
  'var/lib/twinfeed/journal/0000000001.jsonl',
];

function staged() {
  const root = mkdtempSync(join(tmpdir(), 'twinfeed-uninstall-'));
  for (const f of INSTALLED) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), 'x');
  }
  const bin = join(root, 'stub-bin');
  mkdirSync(bin);
  for (const tool of ['systemctl', 'udevadm', 'userdel']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${root}/calls.log"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const run = (...args: string[]) =>
    spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { ...process.env, TWINFEED_INSTALL_ROOT: root, PATH: `${bin}:${process.env.PATH ?? ''}` } });
  const calls = () => (existsSync(join(root, 'calls.log')) ? readFileSync(join(root, 'calls.log'), 'utf8') : '');
  const left = () => INSTALLED.filter((f) => existsSync(join(root, f)));
  return { run, calls, left };
}

describe.runIf(asRoot)('deploy/install.sh --uninstall', () => {
  it('stops and removes the service, program and udev rules, and keeps config, state and journal', () => {
    const s = staged();
    const r = s.run('--uninstall');
    expect(r.status, r.stderr).toBe(0);
    expect(s.left()).toEqual([
      'etc/twinfeed/config.yaml',
      'etc/twinfeed/board.yaml',
      'var/lib/twinfeed/state.json',
      'var/lib/twinfeed/journal/0000000001.jsonl',
    ]);
    expect(s.calls()).toContain('systemctl disable --now twinfeed.service');
    expect(s.calls()).not.toContain('userdel');
    expect(r.stdout).toMatch(/Kept: .*\/etc\/twinfeed .* and .*\/var\/lib\/twinfeed .*--uninstall --purge removes them/);
  });

  it('with --purge also removes config, state, journal and the user', () => {
    const s = staged();
    const r = s.run('--uninstall', '--purge');
    expect(r.status, r.stderr).toBe(0);
    expect(s.left()).toEqual([]);
  });

  it('refuses --purge without --uninstall, and --board with it (exit 2)', () => {
    const s = staged();
    expect(s.run('--purge').status).toBe(2);
    expect(s.run('--uninstall', '--board', 'x').status).toBe(2);
    expect(s.left()).toEqual(INSTALLED);
  });
});
