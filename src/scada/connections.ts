// The connections one process serves, for the in-process server and the reader processes alike: the
// buffers and cheap clock they share, and one sweep (not a timer each) that closes idle and trickling clients.
import type { Socket } from 'node:net';
import type { ConnShared } from './conn.js';
import { sweepPeriodMs, timedOut, type Session } from './session.js';

export interface Connections {
  readonly shared: ConnShared;
  /** Open connections. */
  readonly size: number;
  /** Reads the clock (on accept, so that a new session starts now); returns it. */
  tick(): number;
  /** Tracks a served connection until its socket closes. */
  add(socket: Socket, session: Session): void;
  destroyAll(): void;
  /** Stops the sweep. */
  stop(): void;
}

export type TimedOut = NonNullable<ReturnType<typeof timedOut>>;

/** `onTimedOut` counts and logs; the connection is destroyed after it returns. */
export function trackConnections(idleTimeoutMs: number, frameTimeoutMs: number, onTimedOut: (socket: Socket, why: TimedOut) => void): Connections {
  const conns = new Set<{ socket: Socket; session: Session }>();
  let coarseNowMs = Date.now();
  const tick = (): number => (coarseNowMs = Date.now());
  const sweep = setInterval(
    () => {
      tick();
      for (const { socket, session } of conns) {
        const why = timedOut(session, coarseNowMs, idleTimeoutMs, frameTimeoutMs);
        if (!why) continue;
        onTimedOut(socket, why);
        socket.destroy();
      }
    },
    sweepPeriodMs(idleTimeoutMs, frameTimeoutMs),
  );
  sweep.unref();
  return {
    // Shared by all connections: reads land in one buffer, answers are built in another, each used up synchronously.
    shared: { readBuffer: Buffer.alloc(64 * 1024), scratch: Buffer.alloc(64 * 1024), nowMs: () => coarseNowMs },
    get size() {
      return conns.size;
    },
    tick,
    add(socket, session) {
      const entry = { socket, session };
      conns.add(entry);
      socket.on('close', () => conns.delete(entry));
    },
    destroyAll() {
      for (const { socket } of conns) socket.destroy();
    },
    stop: () => clearInterval(sweep),
  };
}
