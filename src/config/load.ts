// Loading and validating config: YAML file → deep merge over defaults → zod → Config, or every
// `path: problem (hint)` error at once. Also used for scenario `config:` overlays.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigInvalid, zodErrors } from './errors.js';
import { configSchema, type Config } from './schema.js';
import { readYamlFile } from './yaml.js';

export type Raw = Record<string, unknown>;

const isPlain = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key; arrays and scalars in `over` replace those in `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Validates raw config data (already merged with overlays); throws ConfigInvalid with every error. */
export function validateConfig(raw: unknown, source: string): Config {
  const r = configSchema.safeParse(raw ?? {});
  if (!r.success) throw new ConfigInvalid(zodErrors(configSchema, r.error), source);
  return r.data;
}

/** Loads a config file (or the defaults when `path` is undefined); returns the raw data too, for overlays. */
export function loadConfig(path: string | undefined, overlay?: unknown): { config: Config; raw: unknown } {
  const base = path === undefined ? {} : readYamlFile(path);
  if (!isPlain(base) && base !== null) {
    throw new ConfigInvalid(
      [{ path: '', problem: 'the file is not a mapping of keys', hint: 'start with keys such as "power:" or "scada:"' }],
      path ?? 'config',
    );
  }
  const raw = overlay === undefined ? base : deepMerge(base, overlay);
  return { config: validateConfig(raw, path ?? 'default config'), raw };
}

/** Canonical JSON (sorted keys) of the effective config, and its SHA-256 (SCADA configHash). */
export function configHash(config: Config): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : isPlain(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(config)))
    .digest('hex');
}

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
