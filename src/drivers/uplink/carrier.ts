// Carrier and operstate of a Linux interface. sysfs answers in microseconds, so it is read every scan;
// `ip -o link show` is the fallback for an interface in another network namespace.
import { readFile } from 'node:fs/promises';
import type { Exec } from './exec.js';

/** What the kernel says about a link; `carrier` false also when the interface is missing or admin-down. */
export interface LinkSense {
  readonly carrier: boolean;
  readonly operstate: string;
}

export type CarrierReader = (iface: string) => Promise<LinkSense>;

export type ReadText = (path: string) => Promise<string>;

const IFACE = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** Reads /sys/class/net/IF/{carrier,operstate}; reading carrier of an admin-down link fails (EINVAL): no carrier. */
export function sysfsCarrier(readText: ReadText = (p) => readFile(p, 'utf8')): CarrierReader {
  return async (iface) => {
    if (!IFACE.test(iface)) return { carrier: false, operstate: 'invalid-name' };
    const operstate = (await readText(`/sys/class/net/${iface}/operstate`).catch(() => 'missing')).trim();
    const carrier = (await readText(`/sys/class/net/${iface}/carrier`).catch(() => '0')).trim() === '1';
    // operstate "unknown" is what many virtual and PPP links report while working: trust carrier then.
    return { carrier: carrier && (operstate === 'up' || operstate === 'unknown'), operstate };
  };
}

/** Parses `ip -o link show dev IF`: carrier is the LOWER_UP flag, operstate the `state` word. */
export function parseIpLink(line: string): LinkSense {
  const flags = /<([^>]*)>/.exec(line)?.[1]?.split(',') ?? [];
  const operstate = (/\bstate (\S+)/.exec(line)?.[1] ?? 'missing').toLowerCase();
  const carrier = flags.includes('LOWER_UP') && flags.includes('UP') && (operstate === 'up' || operstate === 'unknown');
  return { carrier, operstate };
}

export function ipLinkCarrier(exec: Exec, timeoutMs = 1000): CarrierReader {
  return async (iface) => {
    const o = await exec('ip', ['-o', 'link', 'show', 'dev', iface], timeoutMs);
    return o.code === 0 ? parseIpLink(o.stdout) : { carrier: false, operstate: 'missing' };
  };
}
