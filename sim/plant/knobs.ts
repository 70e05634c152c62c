// Scenario knobs of the power plant: names, value checks and their effect.
import { setGenerator, type PlantParams, type PowerPlantState } from './power.js';

type Kind = { type: 'number'; min: number; max: number } | { type: 'bool' } | { type: 'enum'; values: readonly string[] };

/** GenComm control mode codes the simulated genset controller takes (4 and 5 are not modes). */
const GEN_MODE_CODES: readonly number[] = [0, 1, 2, 3, 6, 7];

const volts: Kind = { type: 'number', min: 0, max: 1000 };
const hertz: Kind = { type: 'number', min: 0, max: 100 };
const bool: Kind = { type: 'bool' };
const stuck: Kind = { type: 'enum', values: ['open', 'closed', 'none'] };
const fb: Kind = { type: 'enum', values: ['ok', 'stuckOpen', 'stuckClosed'] };

export const KNOBS: Readonly<Record<string, Kind>> = {
  'feed.A.voltage': volts,
  'feed.B.voltage': volts,
  'feed.A.frequency': hertz,
  'feed.B.frequency': hertz,
  'generator.failToStart': bool,
  'generator.startMs': { type: 'number', min: 0, max: 3_600_000 },
  // The genset controller's key, as GenComm numbers it: 0 stop, 1 auto, 2 manual, 3 test on load, 6 test off load, 7 off.
  'generator.controlMode': { type: 'number', min: 0, max: 7 },
  'generator.fuelPct': { type: 'number', min: 0, max: 100 },
  // The genset controller also reports engine state (1408) and named alarms (page 154); see power.ts.
  'generator.reportsEngine': bool,
  'breaker.A.stuck': stuck,
  'breaker.B.stuck': stuck,
  'breaker.A.feedback': fb,
  'breaker.B.feedback': fb,
  // The I/O module (breaker contacts, PSU DC-OK contacts, relay coils) stops answering.
  'io.comm': bool,
  'meter.A.comm': bool,
  'meter.B.comm': bool,
  'ups.comm': bool,
  'ups.fault': bool,
  'ups.chargePct': { type: 'number', min: 0, max: 100 },
};

function check(kind: Kind, value: unknown): string | undefined {
  if (kind.type === 'bool') return typeof value === 'boolean' ? undefined : 'expected true or false';
  if (kind.type === 'enum') return typeof value === 'string' && kind.values.includes(value) ? undefined : `expected one of ${kind.values.join(', ')}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
  return value < kind.min || value > kind.max ? `expected ${kind.min}..${kind.max}` : undefined;
}

export function setPowerKnob(s: PowerPlantState, p: PlantParams, knob: string, value: unknown): string | undefined {
  const psu = /^psu\.([^.]+)\.ok$/.exec(knob);
  if (psu) {
    const id = psu[1] as string;
    if (!p.psuIds.includes(id)) return `no PSU "${id}" (PSUs are ${p.psuIds.join(', ')})`;
    if (typeof value !== 'boolean') return 'expected true or false';
    s.psuOk[id] = value;
    return undefined;
  }
  const kind = KNOBS[knob];
  if (!kind) return `unknown knob "${knob}"`;
  const bad = check(kind, value);
  if (bad) return `${knob}: ${bad}`;
  if (knob === 'generator.controlMode' && !GEN_MODE_CODES.includes(value as number))
    return `${knob}: expected one of ${GEN_MODE_CODES.join(', ')} (0 stop, 1 auto, 2 manual, 3 test on load, 6 test off load, 7 off)`;
  const [part, id, field] = knob.split('.') as [string, string, string | undefined];
  const f = id as 'A' | 'B';
  if (part === 'feed') {
    if (field === 'voltage') s.voltage[f] = value as number;
    else s.frequency[f] = value as number;
  } else if (part === 'generator') {
    if (id === 'failToStart') {
      s.generator.failToStart = value as boolean;
      if (value === false) s.generator.failLatched = false;
    } else if (id === 'controlMode') setGenerator(s, { controlMode: value as number });
    else if (id === 'fuelPct') s.generator.fuelPct = value as number;
    else if (id === 'reportsEngine') s.generator.reportsEngine = value as boolean;
    else s.generator.startMs = value as number;
  } else if (part === 'breaker') {
    const b = s.breakers[f];
    if (field === 'stuck') {
      b.stuck = value as 'open' | 'closed' | 'none';
      // A freed mechanism follows its coil again.
      const target = b.stuck === 'open' ? false : b.stuck === 'closed' ? true : b.coil;
      if (target !== b.closed) b.moving = { to: target, atMs: s.nowMs + p.breakerOperateMs };
    } else b.feedback = value as 'ok' | 'stuckOpen' | 'stuckClosed';
  } else if (part === 'io') {
    s.ioComm = value as boolean;
  } else if (part === 'meter') {
    s.meterComm[f] = value as boolean;
  } else if (part === 'ups') {
    if (id === 'comm') s.ups.comm = value as boolean;
    else if (id === 'fault') s.ups.fault = value as boolean;
    else s.ups.chargePct = value as number;
  }
  return undefined;
}
