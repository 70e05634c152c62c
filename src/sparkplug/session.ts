// The Sparkplug edge node session rules (spec 3.0 §5, §6.4.18), pure: bdSeq and seq numbering, the
// birth/death payloads and report by exception against the values last sent. No MQTT, no clock.
import type { SparkplugConfig } from '../config/schema.js';
import type { MetricValue } from './metrics.js';
import type { SpMetric, SpPayload } from './proto.js';

export const REBIRTH = 'Node Control/Rebirth';
export const BDSEQ = 'bdSeq';

export type Deadbands = SparkplugConfig['deadbands'];

/** Topics of one edge node: spBv1.0/<group>/<type>/<edge> (spec 3.0 §4.1). */
export function nodeTopic(cfg: Pick<SparkplugConfig, 'groupId' | 'edgeNodeId'>, type: 'NBIRTH' | 'NDATA' | 'NDEATH' | 'NCMD'): string {
  return `spBv1.0/${cfg.groupId}/${type}/${cfg.edgeNodeId}`;
}

/** The NDEATH payload: only the bdSeq of the connection it closes, no seq (spec 3.0 §6.4.18). */
export function deathPayload(bdSeq: number, atMs: number): SpPayload {
  return { timestampMs: atMs, metrics: [{ name: BDSEQ, datatype: 'Int64', value: bdSeq }] };
}

/** Whether `next` is worth sending after `sent`: any change, or for an analog one a move past its deadband. */
export function changed(sent: MetricValue['value'] | undefined, next: MetricValue, deadbands: Deadbands): boolean {
  if (sent === next.value) return false;
  if (typeof sent !== 'number' || typeof next.value !== 'number' || next.deadband === undefined) return true;
  return Math.abs(next.value - sent) >= deadbands[next.deadband];
}

export interface EdgeSession {
  /** The NBIRTH for the current bdSeq: seq 0, every metric, bdSeq and Node Control/Rebirth false. */
  birth(metrics: readonly MetricValue[], atMs: number): SpPayload;
  /**
   * The NDATA of what changed since it was last sent, stamped with the scan's time; undefined when
   * nothing did; 'rebirth' when a metric appeared that the birth did not list.
   */
  data(metrics: readonly MetricValue[], atMs: number): SpPayload | undefined | 'rebirth';
  /** What changed, marked as sent, without a seq: for the store-and-forward queue while offline. */
  changes(metrics: readonly MetricValue[], atMs: number): SpMetric[];
  /** An NDATA of stored changes (original timestamps, is_historical), taking the next seq. */
  historical(metrics: readonly SpMetric[], atMs: number): SpPayload;
  /** The values to compare the first changes with, before any birth (changes from start on are kept). */
  baseline(metrics: readonly MetricValue[]): void;
  /** Starts a new MQTT connection's session: a new bdSeq (the Will carries it; births repeat it). */
  connect(bdSeq: number): void;
  readonly bdSeq: number;
  /** The seq the next NDATA will carry. */
  readonly seq: number;
}

export function createEdgeSession(deadbands: Deadbands): EdgeSession {
  let bdSeq = 0;
  let seq = 0;
  let sent = new Map<string, MetricValue['value']>();
  const stamp = (m: MetricValue, atMs: number): SpMetric => ({ name: m.name, datatype: m.datatype, value: m.value, timestampMs: atMs });
  const next = (metrics: SpMetric[], atMs: number): SpPayload => {
    const p = { timestampMs: atMs, seq, metrics };
    seq = (seq + 1) % 256;
    return p;
  };
  const changes = (metrics: readonly MetricValue[], atMs: number): SpMetric[] => {
    const out: SpMetric[] = [];
    for (const m of metrics) {
      const before = sent.get(m.name);
      if ((before !== undefined || sent.has(m.name)) && !changed(before, m, deadbands)) continue;
      sent.set(m.name, m.value);
      out.push(stamp(m, atMs));
    }
    return out;
  };
  return {
    connect(n) {
      bdSeq = n;
    },
    birth(metrics, atMs) {
      sent = new Map(metrics.map((m) => [m.name, m.value]));
      seq = 1;
      const all: SpMetric[] = [
        { name: BDSEQ, datatype: 'Int64', value: bdSeq, timestampMs: atMs },
        { name: REBIRTH, datatype: 'Boolean', value: false, timestampMs: atMs },
        ...metrics.map((m) => stamp(m, atMs)),
      ];
      return { timestampMs: atMs, seq: 0, metrics: all };
    },
    data(metrics, atMs) {
      if (metrics.some((m) => !sent.has(m.name))) return 'rebirth';
      const out = changes(metrics, atMs);
      return out.length === 0 ? undefined : next(out, atMs);
    },
    changes,
    historical(metrics, atMs) {
      return next(
        metrics.map((m) => ({ ...m, historical: true })),
        atMs,
      );
    },
    baseline(metrics) {
      sent = new Map(metrics.map((m) => [m.name, m.value]));
    },
    get bdSeq() {
      return bdSeq;
    },
    get seq() {
      return seq;
    },
  };
}
