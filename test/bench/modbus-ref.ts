// Where compare.sh builds the libmodbus reference (baseline-server, load): outside ../shared, which may be read-only.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const refBin = (name: 'baseline-server' | 'load'): string =>
  join(process.env.MODBUS_REF_BIN ?? join(process.env.TMPDIR ?? tmpdir(), 'modbus-ref-bench'), name);
