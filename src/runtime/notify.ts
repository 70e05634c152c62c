// systemd readiness and watchdog (Type=notify, WatchdogSec=): READY=1 once serving, then WATCHDOG=1
// only while scans keep completing — a hung scan loop stops the pings and systemd restarts the
// service (bumpless: the restart adopts the contactors' position). Node has no unix datagram socket,
// so the messages go through `systemd-notify` (the unit sets NotifyAccess=all).
import { execFile } from 'node:child_process';

export type NotifyExec = (args: readonly string[]) => void;

const defaultExec: NotifyExec = (args) => {
  execFile('systemd-notify', [...args], { timeout: 5000 }, () => undefined);
};

export interface Notifier {
  ready(): void;
  stop(): void;
}

/** Does nothing unless systemd asked for notifications (NOTIFY_SOCKET set). */
export function createNotifier(env: NodeJS.ProcessEnv, scans: () => number, exec: NotifyExec = defaultExec): Notifier {
  if (!env.NOTIFY_SOCKET) return { ready: () => undefined, stop: () => undefined };
  const watchdogUs = Number(env.WATCHDOG_USEC ?? 0);
  let timer: NodeJS.Timeout | undefined;
  let lastScans = -1;
  return {
    ready() {
      exec(['--ready', `--status=scanning`]);
      if (watchdogUs > 0) {
        // Ping at a third of the interval, and only if the scan count moved since the last ping.
        timer = setInterval(
          () => {
            const n = scans();
            if (n !== lastScans) exec(['WATCHDOG=1']);
            lastScans = n;
          },
          Math.max(100, Math.floor(watchdogUs / 3000)),
        );
        timer.unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      exec(['STOPPING=1']);
    },
  };
}
