// `twinfeed profiles [--json]`: the built-in Modbus device profiles and their points, so a board
// file can name a device's point instead of a register.
import { PROFILES } from '../drivers/modbus/profiles.js';

type Out = { out: (line: string) => void };

export function showProfiles(json: boolean, io: Out): number {
  if (json) {
    io.out(JSON.stringify([...PROFILES.values()], null, 2));
    return 0;
  }
  for (const p of PROFILES.values()) {
    io.out(`${p.name}: ${p.title}`);
    io.out(`  source: ${p.source}`);
    const width = Math.max(...Object.keys(p.points).map((k) => k.length));
    for (const [name, pt] of Object.entries(p.points)) {
      const where = `${pt.table} ${pt.register} (0x${pt.register.toString(16).padStart(4, '0')}) ${pt.type}`;
      const unit = pt.unit ? ` [${pt.unit}]` : '';
      io.out(`  ${name.padEnd(width)}  ${where.padEnd(30)} ${pt.access === 'write' ? 'write-only, ' : ''}${pt.description}${unit}`);
    }
    io.out('');
  }
  io.out('use: modbus.devices.NAME: { bus: ..., unitId: ..., profile: NAME } and signals: { SIGNAL: { device: NAME, point: POINT } }');
  return 0;
}
