// upsd's line protocol (NUT network protocol, TCP 3493), the pure part: bytes → bounded lines →
// words (double quotes, backslash escapes) → the answer to one GET VAR or LIST VAR request.

/** The ERR tokens upsd sends (docs/net-protocol.txt); any other token is kept as sent. */
export const NUT_ERRORS = [
  'ACCESS-DENIED',
  'UNKNOWN-UPS',
  'VAR-NOT-SUPPORTED',
  'CMD-NOT-SUPPORTED',
  'INVALID-ARGUMENT',
  'INSTCMD-FAILED',
  'SET-FAILED',
  'READONLY',
  'TOO-LONG',
  'FEATURE-NOT-SUPPORTED',
  'FEATURE-NOT-CONFIGURED',
  'ALREADY-SSL-MODE',
  'DRIVER-NOT-CONNECTED',
  'DATA-STALE',
  'ALREADY-LOGGED-IN',
  'INVALID-PASSWORD',
  'ALREADY-SET-PASSWORD',
  'INVALID-USERNAME',
  'ALREADY-SET-USERNAME',
  'USERNAME-REQUIRED',
  'PASSWORD-REQUIRED',
  'UNKNOWN-COMMAND',
  'INVALID-VALUE',
] as const;
export type NutErrorToken = (typeof NUT_ERRORS)[number];

/** upsd answered `ERR <token>`: the server works, the request did not. */
export class NutError extends Error {
  constructor(
    readonly token: NutErrorToken | 'UNKNOWN',
    readonly sent: string,
  ) {
    super(`ERR ${sent}`);
    this.name = 'NutError';
  }
}

/** The bytes on the connection are not upsd's protocol: the connection cannot be trusted any more. */
export class NutProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NutProtocolError';
  }
}

/** Splits a byte stream into lines, holding at most `maxLineBytes` of an unfinished line. */
export class LineSplitter {
  private pending = '';
  constructor(private readonly maxLineBytes: number) {}

  /** The complete lines in `chunk` (CR before LF dropped); throws NutProtocolError on an over-long line. */
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    // A peer that never sends a newline must not grow our memory without bound.
    if (this.pending.length > this.maxLineBytes || parts.some((l) => l.length > this.maxLineBytes)) {
      this.pending = '';
      throw new NutProtocolError(`line longer than ${this.maxLineBytes} bytes`);
    }
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
}

/** The words of one line: spaces separate, "..." groups, a backslash takes the next character as is. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      if (i + 1 >= line.length) throw new NutProtocolError(`line ends in a backslash: ${clip(line)}`);
      word = (word ?? '') + line[++i];
    } else if (c === '"') {
      // An opening quote starts a word even when it is empty ("" is a value).
      word ??= '';
      quoted = !quoted;
    } else if (c === ' ' && !quoted) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quoted) throw new NutProtocolError(`unterminated quote: ${clip(line)}`);
  if (word !== undefined) words.push(word);
  return words;
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** An `ERR` line as a NutError, or undefined for any other line. */
function errorOf(words: readonly string[]): NutError | undefined {
  if (words[0] !== 'ERR') return undefined;
  const sent = words.slice(1).join(' ');
  const token = (NUT_ERRORS as readonly string[]).includes(words[1] ?? '') ? (words[1] as NutErrorToken) : 'UNKNOWN';
  return new NutError(token, sent);
}

/** One request in flight: the text to send and how its answer lines are taken. */
export interface NutRequest<T> {
  readonly text: string;
  /** Takes one answer line: the result when it is complete, undefined while more lines are due. Throws NutError / NutProtocolError. */
  take(words: readonly string[], line: string): { readonly done: T } | undefined;
}

const unexpected = (line: string, what: string) => new NutProtocolError(`expected ${what}, got: ${clip(line)}`);

/** `GET VAR <ups> <var>` → `VAR <ups> <var> "<value>"`. */
export function getVar(ups: string, name: string): NutRequest<string> {
  return {
    text: `GET VAR ${ups} ${name}\n`,
    take(words, line) {
      const e = errorOf(words);
      if (e) throw e;
      if (words.length !== 4 || words[0] !== 'VAR' || words[1] !== ups || words[2] !== name) throw unexpected(line, `VAR ${ups} ${name} "…"`);
      return { done: words[3] as string };
    },
  };
}

/** `LIST VAR <ups>` → `BEGIN LIST VAR <ups>`, `VAR <ups> <var> "<value>"`…, `END LIST VAR <ups>`. */
export function listVars(ups: string): NutRequest<ReadonlyMap<string, string>> {
  const vars = new Map<string, string>();
  let begun = false;
  const is = (words: readonly string[], head: string) => words.length === 4 && words.slice(0, 3).join(' ') === `${head} LIST VAR` && words[3] === ups;
  return {
    text: `LIST VAR ${ups}\n`,
    take(words, line) {
      if (!begun) {
        const e = errorOf(words);
        if (e) throw e;
        if (!is(words, 'BEGIN')) throw unexpected(line, `BEGIN LIST VAR ${ups}`);
        begun = true;
        return undefined;
      }
      if (is(words, 'END')) return { done: vars };
      if (words.length !== 4 || words[0] !== 'VAR' || words[1] !== ups) throw unexpected(line, `VAR ${ups} <name> "…" or END LIST VAR ${ups}`);
      vars.set(words[2] as string, words[3] as string);
      return undefined;
    },
  };
}
