// The primary host application's STATE (Sparkplug 3.0 §5.x "Primary Host Application STATE"):
// with sparkplug.primaryHostId, births wait until spBv1.0/STATE/<host> says {"online": true, ...}.
// Pure: parsing and the "newest STATE wins" rule; edge-node.ts acts on the answer.

/** The retained, QoS 1 topic a Sparkplug 3.0 host application publishes its state on. */
export const stateTopic = (hostId: string): string => `spBv1.0/STATE/${hostId}`;

export interface HostState {
  readonly online: boolean;
  /** The host's own time of the message: an older one than already seen is stale (spec 3.0). */
  readonly timestampMs: number;
}

/** A STATE payload, or the reason it is not one (Sparkplug 3.0 STATE is JSON, not protobuf). */
export function parseHostState(payload: Uint8Array): HostState | string {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null) return 'not a JSON object';
  const o = v as { online?: unknown; timestamp?: unknown };
  if (typeof o.online !== 'boolean') return '"online" is not a boolean';
  // The timestamp is required by 3.0; a 2.2-style host without one is taken as "now" rather than refused.
  return { online: o.online, timestampMs: typeof o.timestamp === 'number' ? o.timestamp : Number.MAX_SAFE_INTEGER };
}

export interface HostGate {
  /** Whether `s` is not older than what was seen (else it is stale and ignored); remembers it if so. */
  accept(s: HostState): boolean;
  /** A new MQTT connection: the host counts as offline until its retained STATE arrives again. */
  reset(): void;
  readonly online: boolean;
}

export function createHostGate(): HostGate {
  let newestMs = -Infinity;
  let online = false;
  return {
    accept(s) {
      if (s.timestampMs < newestMs) return false;
      newestMs = s.timestampMs === Number.MAX_SAFE_INTEGER ? newestMs : s.timestampMs;
      online = s.online;
      return true;
    },
    reset() {
      online = false;
    },
    get online() {
      return online;
    },
  };
}
