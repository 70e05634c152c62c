// Board files at run time: the simulated cabinet or a hardware board (drivers loaded lazily).
import { ConfigInvalid, readYamlFile } from '../config/load.js';
import type { Config } from '../config/schema.js';

export function isSimBoardRaw(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { driver?: unknown }).driver === 'sim';
}

export async function checkBoardFile(path: string, config: Config): Promise<void> {
  const raw = readYamlFile(path);
  if (isSimBoardRaw(raw)) return;
  void config;
  const mod = (await import('../io/board.js').catch(() => null)) as { loadBoardFile?: (p: string) => unknown } | null;
  if (!mod?.loadBoardFile) throw new ConfigInvalid([{ path: '', problem: 'hardware boards are not supported by this build', hint: 'use boards/sim.yaml' }], path);
  mod.loadBoardFile(path);
}
