// The monthly record's shape: what `twinfeed report --format json` prints and what the Markdown
// and HTML forms show. Times are ISO 8601 UTC; durations are ms (field names say so).

export interface Criteria {
  /** A test passes with at least this long on load (NFPA 110 monthly test: 30 min). */
  readonly testMinOnLoadMs: number;
  /** … and the load on the generator within this of the start signal (NFPA 110 Type 10: 10 s). */
  readonly testMaxTimeToLoadMs: number;
}

export interface Retransfer {
  /** When the load began to move back to the preferred feed. */
  readonly at: string;
  /** How long the move took (transfer.begin → transfer.end); null if it did not complete. */
  readonly durationMs: number | null;
  readonly ok: boolean;
  readonly reason: string;
}

export interface TestRecord {
  readonly start: string;
  /** When the test mode ended (timer, operator or failure); null if the journal ends first. */
  readonly end: string | null;
  /** The load went onto the generator during the test. */
  readonly onLoad: boolean;
  /** What the startTest command asked for; null when the journal does not say. */
  readonly requestedOnLoad: boolean | null;
  /** start → end. */
  readonly durationMs: number | null;
  /** Start signal (the test command) → the load on the generator; null when it never got there. */
  readonly timeToLoadMs: number | null;
  /** Load on the generator → load leaving it (the cool-down after that is not counted). */
  readonly timeOnLoadMs: number;
  readonly pass: boolean;
  /** Why it passed or failed, one sentence per criterion or finding. */
  readonly why: string[];
  /** The command's origin (`http:10.0.0.5`, `scada:…`, `scenario`); `unknown` if not recorded. */
  readonly startedBy: string;
  /** `timer` (ran its time), `stopTest (origin)`, `setMode (origin)`, `failure: …`, `restart`. */
  readonly endedBy: string;
  readonly generatorFeed: string | null;
  readonly retransfer: Retransfer | null;
  /** Generator cool-down: running unloaded after the test, until it stopped. */
  readonly cooldownMs: number | null;
  /** Alarms raised from the start of the test to the end of its retransfer. */
  readonly alarms: string[];
}

export interface OutageRecord {
  /** The controller declared the preferred feed failed (after its dropout delay). */
  readonly start: string;
  /** The preferred feed available again (after its pickup delay); null: still out at the end of the journal. */
  readonly end: string | null;
  /** How long the preferred feed was unavailable. */
  readonly durationMs: number | null;
  /** start → the load on the alternate feed; null if it never went there. */
  readonly transferMs: number | null;
  readonly reason: string;
  /** Time the UPS carried the load on battery during the outage (including just before it was declared). */
  readonly upsRideThroughMs: number;
  /** Time the DC supplies reported insufficient (PSU_CAPACITY_LOST): the load was not powered. */
  readonly loadLostMs: number;
  readonly retransfer: Retransfer | null;
  readonly alarms: string[];
}

export interface UplinkRecord {
  readonly id: string;
  readonly availabilityPct: number;
  readonly downMs: number;
  readonly outages: number;
  readonly longestOutageMs: number;
  /** Traffic moved off this uplink because it went down. */
  readonly failovers: number;
}

export interface AlarmSummary {
  readonly code: string;
  readonly raised: number;
  readonly activeMs: number;
  readonly longestMs: number;
}

export interface Report {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly criteria: Criteria;
  /** The feed whose outages are reported, and where that came from. */
  readonly preferred: string;
  readonly preferredFrom: 'journal' | 'assumed';
  /** Time in the month the controller was running and journaling, and its share of the month. */
  readonly observedMs: number;
  readonly coveragePct: number;
  readonly tests: TestRecord[];
  readonly outages: OutageRecord[];
  readonly uplinks: UplinkRecord[];
  readonly uplinkSwitches: number;
  /** Operations (on↔off changes) per relay output in the month. */
  readonly relayOperations: Record<string, number>;
  readonly transfers: number;
  readonly alarms: AlarmSummary[];
  readonly restarts: number;
  readonly configHashes: string[];
  /** Records the controller could not write (journal.dropped) and records unreadable (torn/corrupt). */
  readonly recordsLost: number;
  readonly recordsUnreadable: number;
  /** What a surveyor should look at: a missed or failed test, load lost, gaps in the record. */
  readonly findings: string[];
}
