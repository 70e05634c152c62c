// upsd's line protocol, the pure part: lines from a byte stream (bounded), words with quotes and
// escapes, and the framing of GET VAR / LIST VAR answers with their typed ERR tokens.
import { describe, expect, it } from 'vitest';
import { getVar, LineSplitter, listVars, NutError, NutProtocolError, splitWords, type NutRequest } from '../../src/drivers/nut/protocol.js';

/** Feeds answer lines to a request until it is done; returns the result or throws what it threw. */
function answer<T>(req: NutRequest<T>, lines: string[]): T | 'more' {
  for (const line of lines) {
    const out = req.take(splitWords(line), line);
    if (out) return out.done;
  }
  return 'more';
}

describe('NUT lines', () => {
  it('joins a line split across chunks and drops the CR of CRLF', () => {
    const s = new LineSplitter(1024);
    expect(s.push('VAR ups battery.ch')).toEqual([]);
    expect(s.push('arge "87"\r\nVAR ups ')).toEqual(['VAR ups battery.charge "87"']);
    expect(s.push('ups.status "OL"\n\n')).toEqual(['VAR ups ups.status "OL"', '']);
  });

  it('refuses a line longer than its bound, with or without a newline, and holds nothing after', () => {
    const s = new LineSplitter(64);
    expect(() => s.push('x'.repeat(65))).toThrow(NutProtocolError);
    expect(() => s.push(`${'y'.repeat(200)}\n`)).toThrow(/longer than 64 bytes/);
    expect(s.push('OK\n')).toEqual(['OK']);
  });
});

describe('NUT words', () => {
  it('takes quoted values with escaped quotes and backslashes, and empty values', () => {
    expect(splitWords('VAR ups ups.model "Smart-UPS \\"1500\\" \\\\ rack"')).toEqual(['VAR', 'ups', 'ups.model', 'Smart-UPS "1500" \\ rack']);
    expect(splitWords('VAR ups ups.alarm ""')).toEqual(['VAR', 'ups', 'ups.alarm', '']);
    expect(splitWords('VAR  ups   x "a  b"')).toEqual(['VAR', 'ups', 'x', 'a  b']);
  });

  it('refuses an unterminated quote and a trailing backslash', () => {
    expect(() => splitWords('VAR ups x "open')).toThrow(/unterminated quote/);
    expect(() => splitWords('VAR ups x "a\\')).toThrow(/backslash/);
  });
});

describe('NUT answers', () => {
  it('GET VAR gives the value; an ERR gives its typed token', () => {
    expect(getVar('ups', 'battery.charge').text).toBe('GET VAR ups battery.charge\n');
    expect(answer(getVar('ups', 'battery.charge'), ['VAR ups battery.charge "100"'])).toBe('100');
    const err = (() => {
      try {
        answer(getVar('ups', 'ups.status'), ['ERR DATA-STALE']);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NutError);
    expect(err).toMatchObject({ token: 'DATA-STALE', message: 'ERR DATA-STALE' });
    expect(() => answer(getVar('ups', 'x'), ['ERR SOMETHING-NEW with words'])).toThrow(
      expect.objectContaining({ token: 'UNKNOWN', sent: 'SOMETHING-NEW with words' }),
    );
  });

  it('GET VAR refuses an answer about another variable or UPS', () => {
    expect(() => answer(getVar('ups', 'battery.charge'), ['VAR ups battery.runtime "1"'])).toThrow(NutProtocolError);
    expect(() => answer(getVar('ups', 'battery.charge'), ['VAR other battery.charge "1"'])).toThrow(NutProtocolError);
  });

  it('LIST VAR collects the VAR lines between BEGIN and END', () => {
    const req = listVars('ups');
    expect(req.text).toBe('LIST VAR ups\n');
    expect(answer(req, ['BEGIN LIST VAR ups', 'VAR ups battery.charge "87"'])).toBe('more');
    const vars = answer(req, ['VAR ups ups.status "OB LB"', 'END LIST VAR ups']);
    expect(vars).toEqual(
      new Map([
        ['battery.charge', '87'],
        ['ups.status', 'OB LB'],
      ]),
    );
  });

  it('LIST VAR: an ERR instead of BEGIN is the answer; anything else out of frame is garbage', () => {
    expect(() => answer(listVars('ups'), ['ERR DRIVER-NOT-CONNECTED'])).toThrow(expect.objectContaining({ token: 'DRIVER-NOT-CONNECTED' }));
    expect(() => answer(listVars('ups'), ['VAR ups ups.status "OL"'])).toThrow(NutProtocolError);
    expect(() => answer(listVars('ups'), ['BEGIN LIST VAR other'])).toThrow(NutProtocolError);
    expect(() => answer(listVars('ups'), ['BEGIN LIST VAR ups', '\u0000\u00ff garbage'])).toThrow(NutProtocolError);
    expect(() => answer(listVars('ups'), ['BEGIN LIST VAR ups', 'VAR ups x'])).toThrow(NutProtocolError);
  });
});
