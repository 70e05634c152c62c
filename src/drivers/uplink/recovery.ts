// Carries out the core's modem recovery steps with ModemManager: on the rising edge of
// `uplink.<id>.modemReconnect` the bearer is disconnected and connected again (with `apn`: a simple connect with it), on `modemReset` the
// modem is reset (`mmcli --reset`). One step per modem at a time; every outcome is logged.
import type { UplinksConfig } from '../../config/uplinks.js';
import { modemReconnectSignal, modemResetSignal } from '../../core/signals.js';
import type { SignalName } from '../../core/types.js';
import { describeFailure, type Exec } from './exec.js';
import type { UplinkLogger } from './routes.js';

const CMD_TIMEOUT_MS = 30_000;

type Step = 'reconnect' | 'reset';

export interface ModemRecovery {
  /** Sees the output image; starts a step on its request's rising edge. Never blocks. */
  write(image: ReadonlyMap<SignalName, boolean>): void;
  /** Resolves when no step is running (tests, close). */
  idle(): Promise<void>;
}

/** The bearer paths of `mmcli -m M -J` (`modem.generic.bearers`). */
export function parseBearers(json: string): string[] {
  const m = (JSON.parse(json) as { modem?: { generic?: { bearers?: unknown } } }).modem;
  const b = m?.generic?.bearers;
  return Array.isArray(b) ? b.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

export function createModemRecovery(cfg: UplinksConfig, exec: Exec, log: UplinkLogger, onReset: (modem: string) => void): ModemRecovery {
  const links = cfg.links.flatMap((l) => (l.modem !== undefined && l.recovery.enabled ? [{ id: l.id, modem: l.modem, apn: l.apn, ipType: l.ipType }] : []));
  const was = new Map<SignalName, boolean>();
  const running = new Map<string, Promise<void>>();

  const run = async (cmd: readonly string[]): Promise<boolean> => {
    const o = await exec('mmcli', cmd, CMD_TIMEOUT_MS);
    if (o.code !== 0) log.warn({ error: o.error, stderr: o.stderr.trim() }, `uplink: ${describeFailure('mmcli', cmd, o)}`);
    return o.code === 0;
  };
  // With an APN the connection is made anew with it (the config checked its charset: no "," "=" or quotes).
  const connectWithApn = async (id: string, modem: string, apn: string, ipType: string | undefined) => {
    await run(['-m', modem, '--simple-disconnect']);
    const settings = ipType === undefined ? `apn=${apn}` : `apn=${apn},ip-type=${ipType}`;
    if (await run(['-m', modem, `--simple-connect=${settings}`])) log.info({ uplink: id, modem, apn }, `uplink: ${id}: connected with APN ${apn}`);
  };
  const reconnect = async (id: string, modem: string) => {
    const info = await exec('mmcli', ['-m', modem, '-J'], CMD_TIMEOUT_MS);
    let bearers: string[] = [];
    try {
      bearers = info.code === 0 ? parseBearers(info.stdout) : [];
    } catch {
      bearers = [];
    }
    const bearer = bearers[0];
    // Without a bearer there is nothing to reconnect (whoever connects the modem, e.g. NetworkManager, has not yet).
    if (bearer === undefined) return log.warn({ uplink: id, modem }, `uplink: ${id}: modem ${modem} has no bearer to reconnect`);
    await run(['-b', bearer, '--disconnect']);
    if (await run(['-b', bearer, '--connect'])) log.info({ uplink: id, modem, bearer }, `uplink: ${id}: bearer reconnected`);
  };
  const reset = async (id: string, modem: string) => {
    if (await run(['-m', modem, '--reset'])) log.info({ uplink: id, modem }, `uplink: ${id}: modem ${modem} reset`);
    onReset(modem);
  };
  const start = ({ id, modem, apn, ipType }: (typeof links)[number], step: Step) => {
    if (running.has(modem)) return log.warn({ uplink: id, modem, step }, `uplink: ${id}: ${step} skipped, the previous step is still running`);
    log.info({ uplink: id, modem, step }, `uplink: ${id}: recovery step ${step}`);
    const act = step === 'reset' ? reset(id, modem) : apn !== undefined ? connectWithApn(id, modem, apn, ipType) : reconnect(id, modem);
    const p = act.finally(() => running.delete(modem));
    running.set(modem, p);
  };

  return {
    write(image) {
      for (const link of links) {
        const id = link.id;
        for (const [step, name] of [
          ['reconnect', modemReconnectSignal(id)],
          ['reset', modemResetSignal(id)],
        ] as const) {
          const on = image.get(name) === true;
          if (on && was.get(name) !== true) start(link, step);
          was.set(name, on);
        }
      }
    },
    async idle() {
      await Promise.all([...running.values()]);
    },
  };
}
