// A fake upsd behind the NUT client's injected socket: it answers GET VAR / LIST VAR from a table,
// or misbehaves on demand (stale data, no driver, silence, a dropped socket, raw bytes).
import type { NutConnect, NutSocketEvents } from '../../src/drivers/nut/client.js';

export type FakeUpsdMode = 'ok' | 'stale' | 'noDriver' | 'wait' | 'silent' | 'refuse';

export interface FakeUpsd {
  readonly connect: NutConnect;
  /** The UPS's variables (name → value as upsd holds it). */
  readonly vars: Map<string, string>;
  mode: FakeUpsdMode;
  /** Every request line received, in order. */
  readonly requests: string[];
  readonly connections: number;
  /** Sends raw bytes on the open connection (garbage, split lines …). */
  send(raw: string): void;
  /** Closes the open connection from the server side. */
  hangUp(): void;
}

const q = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function fakeUpsd(ups: string, vars: Record<string, string> = {}): FakeUpsd {
  let events: NutSocketEvents | undefined;
  let connections = 0;
  const later = (f: () => void) => queueMicrotask(f);
  const self: FakeUpsd = {
    vars: new Map(Object.entries(vars)),
    mode: 'ok',
    requests: [],
    get connections() {
      return connections;
    },
    connect(_host, _port, ev) {
      connections++;
      let open = true;
      later(() => (self.mode === 'refuse' ? ((open = false), ev.onClose('connect ECONNREFUSED')) : ((events = ev), ev.onConnect())));
      return {
        write(text) {
          if (!open) return;
          for (const line of text.split('\n').filter(Boolean)) {
            self.requests.push(line);
            const answer = answerOf(line);
            if (answer !== undefined) later(() => open && events === ev && ev.onData(answer));
          }
        },
        destroy() {
          open = false;
          if (events === ev) events = undefined;
        },
      };
    },
    send: (raw) => events?.onData(raw),
    hangUp() {
      const ev = events;
      events = undefined;
      ev?.onClose('connection reset by peer');
    },
  };
  const answerOf = (line: string): string | undefined => {
    if (self.mode === 'silent') return undefined;
    if (self.mode === 'stale') return 'ERR DATA-STALE\n';
    if (self.mode === 'noDriver') return 'ERR DRIVER-NOT-CONNECTED\n';
    const w = line.split(' ');
    if (w[2] !== undefined && w[2] !== ups) return 'ERR UNKNOWN-UPS\n';
    const table = self.mode === 'wait' ? new Map([['ups.status', 'WAIT']]) : self.vars;
    if (w[0] === 'LIST' && w[1] === 'VAR' && w.length === 3) {
      return [`BEGIN LIST VAR ${ups}`, ...[...table].map(([k, v]) => `VAR ${ups} ${k} ${q(v)}`), `END LIST VAR ${ups}`, ''].join('\n');
    }
    if (w[0] === 'GET' && w[1] === 'VAR' && w.length === 4) {
      const v = table.get(w[3] as string);
      return v === undefined ? 'ERR VAR-NOT-SUPPORTED\n' : `VAR ${ups} ${w[3]} ${q(v)}\n`;
    }
    return 'ERR UNKNOWN-COMMAND\n';
  };
  return self;
}
