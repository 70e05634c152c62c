// The MQTT connection's options from the sparkplug config (credentials and TLS files, read at start)
// and the words a user can act on for a connection error.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { SparkplugConfig } from '../config/schema.js';

/** The problem a user can fix, named for the log, from mqtt.js's connection error. */
export function describeConnectError(e: Error & { code?: string | number }): string {
  if (e.code === 4 || e.code === 134) return 'the broker refused the connection: bad username or password (check sparkplug.username and passwordFile)';
  if (e.code === 5 || e.code === 135) return 'the broker refused the connection: not authorized (check the broker ACL for this client)';
  if (e.code === 'ECONNREFUSED') return `nothing listens at the broker address (${e.message})`;
  if (typeof e.code === 'string' && /CERT|SSL|TLS/i.test(e.code + e.message)) return `TLS failed: ${e.message} (check sparkplug.ca / cert / key)`;
  return e.message;
}

/** A refusal retrying will not cure (credentials, ACL, certificates): the SPARKPLUG_FAULT alarm at once. */
export function isRefusal(e: Error & { code?: string | number }): boolean {
  return [4, 5, 134, 135].includes(e.code as number) || (typeof e.code === 'string' && /CERT|SSL|TLS/i.test(e.code + e.message));
}

export function tlsAndAuth(cfg: SparkplugConfig): Partial<IClientOptions> {
  const file = (p: string | null) => (p === null ? undefined : readFileSync(p));
  const o: Partial<IClientOptions> = {};
  if (cfg.username !== null) o.username = cfg.username;
  if (cfg.passwordFile !== null) o.password = readFileSync(cfg.passwordFile, 'utf8').trim();
  const ca = file(cfg.ca);
  const cert = file(cfg.cert);
  const key = file(cfg.key);
  if (ca) o.ca = ca;
  if (cert) o.cert = cert;
  if (key) o.key = key;
  return o;
}
