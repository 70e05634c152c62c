// Carrier from kernel events: `ip -o monitor link` prints a line for every link change, so a cable
// pull reaches the driver in milliseconds instead of at the next poll. Polling stays as the fallback
// (no iproute2, the monitor died, an event missed); the monitor is restarted after it exits.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseIpLink, type LinkSense } from './carrier.js';

export type LinkListener = (iface: string, sense: LinkSense) => void;

/** Watches link changes; returns a stop function. `onState` reports whether events are flowing. */
export type LinkMonitor = (listener: LinkListener, onState?: (running: boolean, why?: string) => void) => () => void;

/** One line of `ip -o monitor link`: the interface (without its `@peer`) and its carrier, or undefined. */
export function parseMonitorLine(line: string): { iface: string; sense: LinkSense } | undefined {
  const m = /^(Deleted )?\d+:\s+([^:@\s]+)(?:@\S+)?:/.exec(line.replace(/^\[LINK\]\s*/, ''));
  if (!m) return undefined;
  const iface = m[2] as string;
  if (m[1]) return { iface, sense: { carrier: false, operstate: 'missing' } };
  return { iface, sense: parseIpLink(line) };
}

const RESTART_MS = 5000;

/** The real monitor; `prefix` runs it elsewhere, e.g. `['ip', 'netns', 'exec', NS]`. */
export function ipMonitor(prefix: readonly string[] = []): LinkMonitor {
  return (listener, onState) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let kill: (() => void) | undefined;
    const start = () => {
      const [cmd, ...args] = [...prefix, 'ip', '-o', 'monitor', 'link'];
      const child = spawn(cmd as string, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      kill = () => child.kill('SIGTERM');
      child.on('spawn', () => onState?.(true));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const ev = parseMonitorLine(line);
        if (ev) listener(ev.iface, ev.sense);
      });
      const ended = (why: string) => {
        kill = undefined;
        if (stopped) return;
        onState?.(false, why);
        // Without iproute2 there is nothing to restart: polling carries on alone.
        if (why === 'ENOENT') return;
        timer = setTimeout(start, RESTART_MS);
        timer.unref();
      };
      let over = false;
      const once = (why: string) => {
        if (!over) ended(why);
        over = true;
      };
      child.on('error', (e: NodeJS.ErrnoException) => once(e.code ?? e.message));
      child.on('exit', (code, signal) => once(signal ?? `exit ${code}`));
    };
    start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      kill?.();
    };
  };
}
