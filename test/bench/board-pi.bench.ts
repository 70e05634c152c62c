// Whether a Pi-class board is enough: a real `twinfeed run` with the shipped example config against
// `twinfeed plant` over Modbus TCP (board-measure.ts), for BENCH_BOARD_MINUTES (default 3) minutes of
// one outage a minute. The hour-long version is board-soak.ts (`--minutes 60`).
import { measureBoard, type Emit } from './board-measure.js';

const DEFAULT_MINUTES = 3;

export async function bench(emit: Emit): Promise<void> {
  const minutes = Number(process.env.BENCH_BOARD_MINUTES ?? DEFAULT_MINUTES);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10) throw new Error('BENCH_BOARD_MINUTES: a whole number of minutes, 1 to 10');
  await measureBoard(minutes, emit);
}
