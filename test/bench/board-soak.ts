// The board soak: `node dist/test/bench/board-soak.js --minutes 60` (after `npm run build`) runs the
// board bench's cabinet (board-measure.ts) for that many minutes of one outage a minute in real time
// and prints the same JSON lines as `npm run bench -- board-pi` on stdout; one progress line a minute
// (RSS, heap, CPU per scan so far, the plant's transfers) goes to stderr, so a cut-short soak still
// tells how far it got.
import { parseArgs } from 'node:util';
import { EX_OK, EX_USAGE } from '../../src/config/exit-codes.js';
import { measureBoard, type Emit } from './board-measure.js';

const emit: Emit = (name, value, unit) => {
  process.stdout.write(JSON.stringify({ name, value: Number.isFinite(value) ? Number(value.toPrecision(6)) : value, unit }) + '\n');
};

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' } } });
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 1) {
  process.stderr.write('usage: board-soak.js [--minutes N]   (N ≥ 1, default 60)\n');
  process.exitCode = EX_USAGE;
} else {
  await measureBoard(minutes, emit, (line) => process.stderr.write(JSON.stringify({ at: new Date().toISOString(), ...line }) + '\n'));
  process.exitCode = EX_OK;
}
