// Probe targets as written in config: `host` or `icmp://host` (system ping), `tcp://host:port`,
// `http://…` / `https://…` (GET), `dns://server[:port]/name` (a query for name's A record).
export type ProbeSpec =
  | { readonly kind: 'icmp'; readonly host: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'dns'; readonly server: string; readonly port: number; readonly name: string };

/** Parses a target; returns an error text for one that cannot be probed. */
export function parseTarget(target: string): ProbeSpec | string {
  const scheme = /^([a-z]+):\/\//.exec(target)?.[1];
  if (scheme === undefined) return /^[A-Za-z0-9.:-]+$/.test(target) ? { kind: 'icmp', host: target } : `not a host name or address: "${target}"`;
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url: target };
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return `not a URL: "${target}"`;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (scheme === 'icmp') return { kind: 'icmp', host };
  if (scheme === 'tcp') {
    const port = Number(u.port);
    return port > 0 ? { kind: 'tcp', host, port } : `tcp target needs a port: "${target}" (e.g. tcp://192.0.2.1:443)`;
  }
  if (scheme === 'dns') {
    const name = u.pathname.replace(/^\//, '');
    if (!name) return `dns target needs a name to query: "${target}" (e.g. dns://192.0.2.53/example.com)`;
    return { kind: 'dns', server: host, port: u.port ? Number(u.port) : 53, name };
  }
  return `unknown probe scheme "${scheme}" (icmp, tcp, http, https, dns)`;
}
