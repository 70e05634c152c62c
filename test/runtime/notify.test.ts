// systemd notification: nothing without NOTIFY_SOCKET; READY=1 once; watchdog pings only while the
// scan count moves (a hung scan loop must let systemd's watchdog fire).
import { describe, expect, it, vi } from 'vitest';
import { createNotifier } from '../../src/runtime/notify.js';

describe('systemd notifier', () => {
  it('sends nothing when not started by systemd', () => {
    const sent: string[][] = [];
    const n = createNotifier(
      {},
      () => 0,
      (a) => sent.push([...a]),
    );
    n.ready();
    n.stop();
    expect(sent).toEqual([]);
  });

  it('sends READY=1, pings the watchdog while scans advance, and stops pinging when they stall', () => {
    vi.useFakeTimers();
    try {
      const sent: string[][] = [];
      let scans = 0;
      const n = createNotifier(
        { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '3000000' },
        () => scans,
        (a) => sent.push([...a]),
      );
      n.ready();
      expect(sent[0]?.[0]).toBe('--ready');
      for (let i = 0; i < 5; i++) {
        scans += 10;
        vi.advanceTimersByTime(1000);
      }
      const pings = () => sent.filter((a) => a[0] === 'WATCHDOG=1').length;
      expect(pings()).toBe(5);
      vi.advanceTimersByTime(5000); // the scan loop hangs: no new scans
      expect(pings()).toBe(5); // no scans since the last check: silence, and systemd's watchdog fires
      n.stop();
      expect(sent.at(-1)).toEqual(['STOPPING=1']);
    } finally {
      vi.useRealTimers();
    }
  });
});
