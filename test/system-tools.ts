// The system tools and Python modules the tests run, each with the Debian package that provides it:
// one list, so a missing one is reported by name with the package to install, not as a traceback
// deep inside a test. `.ci/run` installs every package named here (test/system-tools.test.ts checks).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Debian's interpreter: the python3-* packages install their modules for it, not for a pyenv one. */
export const PYTHON = '/usr/bin/python3';

/** A Python module the tests import, and the Debian package that provides it. */
const PY_PACKAGES = {
  pymodbus: 'python3-pymodbus',
  // pymodbus 3.0's client and serial server import it, but Debian lists it only as a Recommends.
  serial_asyncio: 'python3-serial-asyncio',
  serial: 'python3-serial',
} as const;
type PyModule = keyof typeof PY_PACKAGES;

interface Tool {
  /** What the tests use it for (shown in messages and the README). */
  readonly why: string;
  readonly packages: readonly string[];
  /** A command that exits 0 when the tool is usable. */
  readonly probe?: readonly string[];
  /** An executable that must exist, for a tool with no option that exits 0 (mosquitto's -h exits 3). */
  readonly file?: string;
  /** Python modules that must import with PYTHON. */
  readonly python?: readonly PyModule[];
}

export const TOOLS = {
  mbpoll: { why: 'a libmodbus SCADA master against our Modbus TCP server', packages: ['mbpoll'], probe: ['mbpoll', '-V'] },
  pymodbusClient: {
    why: 'pymodbus as a second SCADA master',
    packages: ['python3-pymodbus', 'python3-serial-asyncio'],
    python: ['pymodbus', 'serial_asyncio'],
  },
  rtuPeers: {
    why: 'a pymodbus RTU slave on a socat pty pair (a null-modem cable) for the Modbus RTU driver',
    packages: ['socat', 'python3-pymodbus', 'python3-serial-asyncio', 'python3-serial'],
    probe: ['socat', '-V'],
    python: ['pymodbus', 'serial', 'serial_asyncio'],
  },
  netns: { why: 'network namespaces and veth pairs for the uplink driver (as root)', packages: ['iproute2'], probe: ['ip', '-V'] },
  ping: { why: 'ICMP probes through the namespaces', packages: ['iputils-ping'], probe: ['ping', '-V'] },
  conntrack: {
    why: 'flows in a network namespace, to check that a switch deletes only those of the uplink left',
    packages: ['conntrack'],
    probe: ['conntrack', '--version'],
  },
  systemdAnalyze: { why: 'systemd-analyze verify of deploy/twinfeed.service', packages: ['systemd'], probe: ['systemd-analyze', '--version'] },
  nft: { why: 'nft -c of the firewall example in deploy/', packages: ['nftables'], probe: ['nft', '--version'] },
  // upsd and dummy-ups are in nut-server (under /lib/nut, off the PATH); it depends on nut-client.
  nut: {
    why: 'a real upsd with the dummy-ups driver (Network UPS Tools) for the nut driver',
    packages: ['nut-server', 'nut-client'],
    probe: ['/lib/nut/upsd', '-V'],
  },
  // The broker is in /usr/sbin (off a user's PATH).
  mosquitto: { why: 'a real MQTT broker for the Sparkplug B edge node', packages: ['mosquitto'], file: '/usr/sbin/mosquitto' },
  mosquittoClients: {
    why: 'mosquitto_sub / mosquitto_pub as an independent Sparkplug host application',
    packages: ['mosquitto-clients'],
    file: '/usr/bin/mosquitto_sub',
  },
  openssl: { why: 'a test CA, server and client certificates for the Sparkplug edge node over mqtts://', packages: ['openssl'], probe: ['openssl', 'version'] },
  chromium: { why: 'a real browser for the dashboard tests (driven by playwright-core)', packages: ['chromium'], probe: ['/usr/bin/chromium', '--version'] },
} as const satisfies Record<string, Tool>;
export type ToolName = keyof typeof TOOLS;

const cache = new Map<ToolName, string | undefined>();

function firstMissingModule(modules: readonly PyModule[]): PyModule | undefined {
  // One interpreter start for all modules; it prints the first one that does not import.
  const script = `import importlib\nfor m in ${JSON.stringify(modules)}:\n    try:\n        importlib.import_module(m)\n    except Exception:\n        print(m)\n        break\n`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (r.error) return modules[0];
  const name = r.stdout.trim();
  return (modules as readonly string[]).includes(name) ? (name as PyModule) : undefined;
}

/** Why `name` cannot be used here (naming the Debian package to install), or undefined when it can. */
export function missingTool(name: ToolName): string | undefined {
  if (cache.has(name)) return cache.get(name);
  const t: Tool = TOOLS[name];
  let why: string | undefined;
  if (t.probe) {
    const [cmd, ...args] = t.probe as [string, ...string[]];
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) why = `${cmd} is not installed (Debian package ${t.packages[0]}: apt-get install ${t.packages[0]})`;
  }
  if (!why && t.file) {
    try {
      accessSync(t.file, constants.X_OK);
    } catch {
      why = `${t.file} is not installed (Debian package ${t.packages[0]}: apt-get install ${t.packages[0]})`;
    }
  }
  if (!why && t.python) {
    const m = firstMissingModule(t.python);
    if (m) why = `${PYTHON} cannot import ${m} (Debian package ${PY_PACKAGES[m]}: apt-get install --no-install-recommends ${PY_PACKAGES[m]})`;
  }
  cache.set(name, why);
  return why;
}

/** The first missing one of several tools, or undefined. */
export const missingTools = (...names: ToolName[]): string | undefined => names.map(missingTool).find((m) => m !== undefined);

/** Every Debian package the tests use. */
export const allPackages = (): string[] => [...new Set(Object.values(TOOLS).flatMap((t: Tool) => t.packages))].sort();

/** In CI a missing tool fails the tests that need it; elsewhere they skip with this message. */
export const CI = Boolean(process.env.CI);
