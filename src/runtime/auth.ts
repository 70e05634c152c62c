// HTTP access control (http.auth): a bearer token from tokenFile and/or `user:password` lines from
// basicFile, both read once at start. Secrets are compared as SHA-256 digests in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/schema.js';

export interface Auth {
  /** True when the request carries a valid token or user. */
  check(req: IncomingMessage): boolean;
  /** The WWW-Authenticate header for a 401 (Basic lets a browser ask its user). */
  readonly challenge: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
const same = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b);

function readSecret(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The auth of `http.auth`, or undefined when it is not set; throws naming a file it cannot use. */
export function loadAuth(cfg: Config['http']['auth']): Auth | undefined {
  if (cfg === null) return undefined;
  const tokens: Buffer[] = [];
  const users: Buffer[] = [];
  if (cfg.tokenFile !== undefined) {
    const token = readSecret('http.auth.tokenFile', cfg.tokenFile).trim();
    if (token.length < 16) throw new Error(`http.auth.tokenFile: ${cfg.tokenFile} holds a token shorter than 16 characters`);
    tokens.push(digest(token));
  }
  if (cfg.basicFile !== undefined) {
    const lines = readSecret('http.auth.basicFile', cfg.basicFile)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const l of lines) {
      if (!/^[^:]+:.+$/.test(l)) throw new Error(`http.auth.basicFile: ${cfg.basicFile}: each line must be user:password`);
      users.push(digest(l));
    }
    if (users.length === 0) throw new Error(`http.auth.basicFile: ${cfg.basicFile} names no user`);
  }
  return {
    challenge: users.length > 0 ? 'Basic realm="twinfeed", charset="UTF-8"' : 'Bearer realm="twinfeed"',
    check(req) {
      const h = req.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(h);
      if (bearer) return tokens.some((t) => same(t, digest(bearer[1] as string)));
      const basic = /^Basic\s+(\S+)$/i.exec(h);
      if (basic) return users.some((u) => same(u, digest(Buffer.from(basic[1] as string, 'base64').toString('utf8'))));
      return false;
    },
  };
}
