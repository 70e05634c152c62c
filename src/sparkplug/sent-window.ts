// The NDATA sent since the broker was last known alive. NDATA is QoS 0 (spec 3.0), so a message sent
// into a silently dead uplink is gone; until the keepalive notices (up to 2 × keepalive) we cannot
// tell. A PINGRESP proves the broker got everything sent before its PINGREQ (one TCP stream, in order):
// those leave the window; what is left when the connection dies unclean is sent again as historical.
import type { StoredChange } from './store-forward.js';

export interface SentWindow {
  sent(change: StoredChange): void;
  /** A PINGREQ went out: everything sent so far is confirmed by its PINGRESP. */
  pingSent(): void;
  pongReceived(): void;
  /** The unconfirmed changes, oldest first, and the window emptied. */
  take(): StoredChange[];
  readonly length: number;
}

/** `max` bounds memory on a link whose pings never come back: the oldest unconfirmed go first. */
export function createSentWindow(max = 10_000): SentWindow {
  let items: StoredChange[] = [];
  let confirmedByPing = 0;
  return {
    sent(change) {
      items.push(change);
      if (items.length > max) {
        items.shift();
        confirmedByPing = Math.max(0, confirmedByPing - 1);
      }
    },
    pingSent() {
      confirmedByPing = items.length;
    },
    pongReceived() {
      items = items.slice(confirmedByPing);
      confirmedByPing = 0;
    },
    take() {
      const out = items;
      items = [];
      confirmedByPing = 0;
      return out;
    },
    get length() {
      return items.length;
    },
  };
}
