// The deployment files are checked by the tools that will read them on a cabinet, where present:
// bash, systemd-analyze, nft. A tool that is missing here skips its check with a message (in CI it fails).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { CI, missingTool, type ToolName } from '../system-tools.js';

const deploy = join(import.meta.dirname, '..', '..', 'deploy');
/** Runs the check when the tool is there or CI is set (then a missing tool fails, by its package). */
const needs = (tool: ToolName) => {
  const missing = missingTool(tool);
  if (missing && !CI) console.warn(`SKIP deploy check: ${missing}`);
  return missing === undefined || CI;
};
const requireTool = (tool: ToolName) => {
  const missing = missingTool(tool);
  if (missing) throw new Error(missing);
};
const run = (tool: string, args: string[]) => {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
};

describe('deploy/', () => {
  it('install.sh is valid bash', () => {
    expect(run('bash', ['-n', join(deploy, 'install.sh')])).toEqual({ status: 0, output: '' });
  });

  it.runIf(needs('systemdAnalyze'))('twinfeed.service passes systemd-analyze verify without a single warning', () => {
    requireTool('systemdAnalyze');
    // Copied out so that verify does not also pick up unrelated units beside it.
    const dir = mkdtempSync(join(tmpdir(), 'twinfeed-unit-'));
    const unit = join(dir, 'twinfeed.service');
    copyFileSync(join(deploy, 'twinfeed.service'), unit);
    // systemd-analyze exits 0 on unknown keys and bad values; they only show as warnings.
    expect(run('systemd-analyze', ['verify', '--man=no', unit])).toEqual({ status: 0, output: '' });
  });

  it('the unit keeps the promises the README makes', () => {
    const unit = readFileSync(join(deploy, 'twinfeed.service'), 'utf8');
    for (const line of [
      'User=twinfeed',
      'SupplementaryGroups=gpio dialout',
      'AmbientCapabilities=CAP_NET_BIND_SERVICE',
      'Restart=on-failure',
      'RestartPreventExitStatus=78',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
    ])
      expect(unit).toContain(`\n${line}\n`);
    // /sys must stay writable for sysfs GPIO
    expect(unit).not.toMatch(/^ProtectKernelTunables=yes/m);
  });

  it.runIf(needs('nft'))('the nftables example parses', () => {
    requireTool('nft');
    const r = run('nft', ['-c', '-f', join(deploy, 'nftables-twinfeed.nft')]);
    if (/Operation not permitted/.test(r.output)) return console.warn('nft -c needs CAP_NET_ADMIN here; not checked');
    expect(r).toEqual({ status: 0, output: '' });
  });

  it('config.example.yaml validates and serves SCADA on 0.0.0.0:502 with writes from the SCADA network only', () => {
    const { config } = loadConfig(join(deploy, 'config.example.yaml'));
    expect(config.scada).toMatchObject({ bind: '0.0.0.0', port: 502, writes: { allow: ['10.20.0.0/16'] } });
    // the firewall example admits exactly that network to 502
    expect(readFileSync(join(deploy, 'nftables-twinfeed.nft'), 'utf8')).toContain('define SCADA_NET = 10.20.0.0/16');
  });

  it('udev rules give the serial adapters stable names and GPIO to group gpio', () => {
    const rules = readFileSync(join(deploy, '99-twinfeed.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    for (const r of rules) {
      expect(r).toMatch(/^SUBSYSTEM=="(tty|gpio)"/);
      expect((r.match(/"/g) ?? []).length % 2).toBe(0);
    }
    expect(rules.join('\n')).toContain('SYMLINK+="twinfeed-rs485"');
    expect(rules.join('\n')).toContain('chgrp -f gpio');
  });
});
