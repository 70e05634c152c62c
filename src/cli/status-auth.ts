// The credentials `twinfeed status` sends when the controller has `http.auth`: read from the same
// secret files the config names (status runs on the cabinet, beside that config), or --token-file.
import { readFileSync } from 'node:fs';
import { ConfigInvalid } from '../config/errors.js';
import { EX_CONFIG, EX_NOINPUT } from '../config/exit-codes.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

/** What status sends, and where it came from (named in the message when it is refused). */
export interface StatusCredentials {
  readonly authorization: string;
  readonly from: string;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

function read(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A bearer token file (--token-file or http.auth.tokenFile): its first line. */
export function tokenCredentials(file: string, what = '--token-file'): StatusCredentials {
  const token = lines(read(what, file))[0];
  if (token === undefined) throw new Error(`${what}: ${file} holds no token`);
  return { authorization: `Bearer ${token}`, from: file };
}

/** From the config's http.auth: the token when there is one, else the basic file's first user. */
export function configCredentials(auth: Config['http']['auth']): StatusCredentials | undefined {
  if (auth === null) return undefined;
  if (auth.tokenFile !== undefined) return tokenCredentials(auth.tokenFile, 'http.auth.tokenFile');
  const file = auth.basicFile as string;
  const user = lines(read('http.auth.basicFile', file))[0];
  if (user === undefined || !user.includes(':')) throw new Error(`http.auth.basicFile: ${file} names no user:password line`);
  return { authorization: `Basic ${Buffer.from(user, 'utf8').toString('base64')}`, from: file };
}

/** The URL a controller with this config answers on, from the cabinet itself. */
export function configUrl(http: Config['http']): string {
  const any = http.bind === '0.0.0.0' || http.bind === '::';
  const host = any ? '127.0.0.1' : http.bind.includes(':') ? `[${http.bind}]` : http.bind;
  return `http://${host}:${http.port}`;
}

/** Where status asks and with what: from --config (URL and credentials) and --token-file (overrides
 * the config's credentials); an exit code when the config or a secret file cannot be used. */
export function statusTarget(
  configFile: string | undefined,
  tokenFile: string | undefined,
  io: { err(line: string): void },
): { url?: string; creds?: StatusCredentials } | number {
  let http: Config['http'] | undefined;
  if (configFile !== undefined) {
    try {
      http = loadConfig(configFile).config.http;
    } catch (e) {
      if (!(e instanceof ConfigInvalid)) throw e;
      io.err(e.message);
      return EX_CONFIG;
    }
  }
  try {
    const creds = tokenFile !== undefined ? tokenCredentials(tokenFile) : configCredentials(http?.auth ?? null);
    return { ...(http ? { url: configUrl(http) } : {}), ...(creds ? { creds } : {}) };
  } catch (e) {
    io.err(`twinfeed status: ${(e as Error).message}`);
    return EX_NOINPUT;
  }
}
