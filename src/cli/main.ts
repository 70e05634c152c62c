#!/usr/bin/env node
// The `twinfeed` command: run, sim, check-config, schema, registers, status, plant, fleet, profiles,
// journal, report. Usage errors exit 2, bad config or scenario 78 (EX_CONFIG), failed expectations 1 — never
// a stack trace for a user's mistake.
import { parseArgs } from 'node:util';
import { EX_OK, EX_SOFTWARE, EX_USAGE } from '../config/exit-codes.js';
import { configJsonSchema } from '../config/load.js';
import { runSim } from './sim.js';

const USAGE = `usage:
  twinfeed run [--board FILE] [--config FILE]      run the controller (default: simulated cabinet)
  twinfeed sim FILE... [--config FILE] [--json] [--seed N] [--journal DIR] [--html OUT.html]
                                                   run scenario files in virtual time (--journal:
                                                   write the journal a real run would, DIR as stateDir;
                                                   --html: plotted)
  twinfeed check-config FILE [--board FILE]        validate a config (and board) file
  twinfeed schema                                  print the config JSON Schema
  twinfeed registers [--format md|json|csv]        print the SCADA register map
  twinfeed status [--url URL] [--config FILE] [--token-file FILE] [--json]
                                                   the live status of a running controller (--config:
                                                   its URL and http.auth credentials from that config)
  twinfeed profiles [--json]                       the built-in Modbus device profiles and their points
  twinfeed plant [--config FILE] [--modbus-port N] [--http-port N] [--seed N]
                                                   the simulated cabinet as its own process (Modbus TCP)
  twinfeed fleet --cabinets N --broker URL [--speed X] [--seed S] [--group G] [--duration D]
                 [--incident-every D] [--config FILE]
                                                   N simulated cabinets as Sparkplug B edge nodes
                                                   (cab-0001..), seeded incidents; D is simulated time
  twinfeed journal --dir DIR [--since TIME] [--until TIME] [--type TYPE] [--follow] [--json]
                                                   read the journal (DIR: runtime.stateDir)
  twinfeed report --dir DIR --month YYYY-MM [--format md|json|html] [--config FILE]
                  [--min-on-load DURATION] [--max-time-to-load DURATION]
                                                   the monthly record: generator tests, outages,
                                                   uplinks, relay operations, alarms (NFPA 110 ch. 8)`;

const io = { out: (l: string) => process.stdout.write(l + '\n'), err: (l: string) => process.stderr.write(l + '\n') };

function usage(problem: string): number {
  io.err(`twinfeed: ${problem}\n${USAGE}`);
  return EX_USAGE;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const opts = {
    board: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string' },
    html: { type: 'string' },
    format: { type: 'string', default: 'md' },
    url: { type: 'string' },
    'token-file': { type: 'string' },
    'modbus-port': { type: 'string', default: '5020' },
    'http-port': { type: 'string', default: '8081' },
    dir: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    type: { type: 'string' },
    follow: { type: 'boolean', default: false },
    journal: { type: 'string' },
    month: { type: 'string' },
    'min-on-load': { type: 'string' },
    'max-time-to-load': { type: 'string' },
    cabinets: { type: 'string' },
    broker: { type: 'string' },
    speed: { type: 'string' },
    group: { type: 'string' },
    duration: { type: 'string' },
    'incident-every': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: opts, allowPositionals: true, strict: true });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (cmd === undefined) return usage('no command given');
  if (cmd === 'help' || cmd === '--help' || cmd === '-h' || v.help) {
    io.out(USAGE);
    return EX_OK;
  }
  switch (cmd) {
    case 'sim': {
      if (positionals.length === 0) return usage('sim needs at least one scenario file');
      let seed: number | undefined;
      if (v.seed !== undefined) {
        if (!/^-?\d+$/.test(v.seed)) return usage(`--seed takes a whole number, got "${v.seed}"`);
        seed = Number(v.seed);
      }
      if (v.journal === '') return usage('--journal takes a directory (the stateDir: the journal goes to DIR/journal/)');
      return runSim(
        {
          files: positionals,
          json: v.json,
          ...(v.config ? { config: v.config } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(v.journal !== undefined ? { journal: v.journal } : {}),
          ...(v.html !== undefined ? { html: v.html } : {}),
        },
        io,
      );
    }
    case 'check-config': {
      if (positionals.length !== 1) return usage('check-config takes exactly one config file');
      const { checkConfig } = await import('./check.js');
      return checkConfig(positionals[0] as string, v.board, io);
    }
    case 'schema':
      io.out(JSON.stringify(configJsonSchema(), null, 2));
      return EX_OK;
    case 'registers': {
      const format = v.format;
      if (format !== 'md' && format !== 'json' && format !== 'csv') return usage(`--format is md, json or csv, got "${format}"`);
      const { renderRegisters } = await import('../scada/render.js');
      io.out(renderRegisters(format));
      return EX_OK;
    }
    case 'status': {
      if (positionals.length > 0) return usage(`status takes no positional arguments (got ${positionals.join(' ')})`);
      const { DEFAULT_URL, showStatus } = await import('./status.js');
      const { statusTarget } = await import('./status-auth.js');
      const target = statusTarget(v.config, v['token-file'], io);
      if (typeof target === 'number') return target;
      const url = v.url ?? target.url ?? DEFAULT_URL;
      if (!/^https?:\/\/[^/\s]+/.test(url)) return usage(`--url is http://HOST:PORT, got "${url}"`);
      return showStatus(url, v.json, io, target.creds);
    }
    case 'profiles': {
      if (positionals.length > 0) return usage(`profiles takes no positional arguments (got ${positionals.join(' ')})`);
      const { showProfiles } = await import('./profiles.js');
      return showProfiles(v.json, io);
    }
    case 'plant': {
      if (positionals.length > 0) return usage(`plant takes no positional arguments (got ${positionals.join(' ')})`);
      const ports: Record<string, number> = {};
      for (const flag of ['modbus-port', 'http-port'] as const) {
        const raw = v[flag];
        if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) return usage(`--${flag} takes a port 1..65535, got "${raw}"`);
        ports[flag] = Number(raw);
      }
      let seed = 1;
      if (v.seed !== undefined) {
        if (!/^-?\d+$/.test(v.seed)) return usage(`--seed takes a whole number, got "${v.seed}"`);
        seed = Number(v.seed);
      }
      const { runPlant } = await import('../runtime/plant.js');
      return runPlant({ config: v.config, bind: '127.0.0.1', modbusPort: ports['modbus-port'] as number, httpPort: ports['http-port'] as number, seed });
    }
    case 'fleet': {
      if (positionals.length > 0) return usage(`fleet takes no positional arguments (got ${positionals.join(' ')})`);
      const { parseFleetArgs, runFleet } = await import('./fleet.js');
      const args = parseFleetArgs(v);
      return typeof args === 'string' ? usage(args) : runFleet(args, io);
    }
    case 'run': {
      if (positionals.length > 0) return usage(`run takes no positional arguments (got ${positionals.join(' ')})`);
      const { runController } = await import('../runtime/run.js');
      return runController({ board: v.board, config: v.config });
    }
    case 'journal': {
      if (positionals.length > 0) return usage(`journal takes no positional arguments (got ${positionals.join(' ')}; use --dir DIR)`);
      const { runJournal } = await import('./journal.js');
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      return runJournal({ dir: v.dir, since: v.since, until: v.until, type: v.type, follow: v.follow, json: v.json }, io, usage, stop.signal);
    }
    case 'report': {
      if (positionals.length > 0) return usage(`report takes no positional arguments (got ${positionals.join(' ')}; use --dir DIR --month YYYY-MM)`);
      const { runReport } = await import('./report.js');
      return runReport(
        { dir: v.dir, month: v.month, format: v.format, config: v.config, minOnLoad: v['min-on-load'], maxTimeToLoad: v['max-time-to-load'] },
        io,
        usage,
      );
    }
    default:
      return usage(`unknown command "${cmd}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    io.err(`twinfeed: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EX_SOFTWARE;
  },
);
