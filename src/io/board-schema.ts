// The shapes in a board file (zod) and the resolved records the drivers receive. Cross-entry
// checks (unknown device, pin used twice, keys that do not fit the driver) live in board.ts.
import { z } from 'zod';
import { duration } from '../config/duration.js';

export const HARDWARE_DRIVERS = ['gpio', 'firmata', 'modbus'] as const;
export type HardwareDriver = (typeof HARDWARE_DRIVERS)[number];

const nameKey = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or - (e.g. "rs485" or "meterA")');

/** One signal entry as written; which keys apply depends on the driver (checked in board.ts). */
export const signalEntrySchema = z
  .object({
    driver: z.enum(HARDWARE_DRIVERS).optional(),
    pin: z.number().int().min(0).max(4095).optional(),
    analog: z.number().int().min(0).max(127).optional(),
    activeLow: z.boolean().optional(),
    contact: z.enum(['NO', 'NC']).optional(),
    debounceMs: duration().optional(),
    staleMs: duration().optional(),
    device: nameKey.optional(),
    table: z.enum(['holding', 'input', 'coil', 'discrete']).optional(),
    register: z.number().int().min(0).max(65535).optional(),
    type: z.enum(['u16', 's16', 'u32', 's32', 'float32']).optional(),
    bit: z.number().int().min(0).max(15).optional(),
    wordOrder: z.enum(['big', 'little']).optional(),
    scale: z.number().refine(Number.isFinite).optional(),
    offset: z.number().refine(Number.isFinite).optional(),
  })
  .strict();
export type SignalEntry = z.output<typeof signalEntrySchema>;

export const busSchema = z
  .object({
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();
export type BusSpec = z.output<typeof busSchema>;

export const deviceSchema = z
  .object({
    bus: nameKey,
    unitId: z.number().int().min(1).max(247),
    pollMs: duration().default(1000),
    timeoutMs: duration().default(500),
    staleMs: duration().default(5000),
  })
  .strict();
export type DeviceSpec = z.output<typeof deviceSchema>;

const sectionsSchema = {
  gpio: z
    .object({
      /** Label of the gpiochip whose sysfs base numbers the pins (`cat /sys/class/gpio/gpiochip*\/label`). */
      chip: z.string().min(1).optional(),
      /** Fixed sysfs base, only when the label cannot be used. */
      base: z.number().int().min(0).optional(),
      refreshMs: duration().default(1000),
      staleMs: duration().default(1000),
    })
    .strict()
    .prefault({}),
  firmata: z
    .object({
      path: z.string().min(1),
      baudRate: z.number().int().positive().default(57600),
      readyTimeoutMs: duration().default(10_000),
      refreshMs: duration().default(1000),
    })
    .strict()
    .optional(),
  modbus: z
    .object({ buses: z.record(z.string(), z.unknown()).default({}), devices: z.record(z.string(), z.unknown()).default({}) })
    .strict()
    .prefault({}),
};

/** The top level; map entries stay `unknown` here and are parsed one by one so every error shows. */
export const boardTopSchema = z
  .object({
    name: z.string().min(1),
    driver: z.enum(['sim', ...HARDWARE_DRIVERS]).optional(),
    signals: z.record(z.string(), z.unknown()).optional(),
    ...sectionsSchema,
  })
  .strict();

export interface BoolPolarity {
  readonly activeLow: boolean;
  readonly contact: 'NO' | 'NC';
}

export interface PinSignal extends BoolPolarity {
  readonly name: string;
  readonly direction: 'in' | 'out';
  readonly pin: number;
  readonly debounceMs: number;
  /** Only for inputs: a pin that cannot be read this long reads as stale. */
  readonly staleMs: number;
}

export interface FirmataAnalogSignal {
  readonly name: string;
  readonly analog: number;
  readonly scale: number;
  readonly offset: number;
}

export interface ModbusSignal {
  readonly name: string;
  readonly kind: 'bool' | 'number';
  readonly device: string;
  readonly table: 'holding' | 'input' | 'coil' | 'discrete';
  readonly register: number;
  readonly type: 'u16' | 's16' | 'u32' | 's32' | 'float32';
  readonly bit: number | undefined;
  readonly wordOrder: 'big' | 'little';
  readonly scale: number;
  readonly offset: number;
  readonly staleMs: number;
}

export interface GpioSection {
  readonly chip: string | undefined;
  readonly base: number | undefined;
  /** Outputs are re-written this often even when unchanged, so a lost write heals. */
  readonly refreshMs: number;
  readonly signals: readonly PinSignal[];
}

export interface FirmataSection {
  readonly path: string;
  readonly baudRate: number;
  readonly readyTimeoutMs: number;
  readonly refreshMs: number;
  readonly signals: readonly PinSignal[];
  readonly analog: readonly FirmataAnalogSignal[];
}

export interface ModbusSection {
  readonly buses: Readonly<Record<string, BusSpec>>;
  readonly devices: Readonly<Record<string, DeviceSpec>>;
  readonly signals: readonly ModbusSignal[];
}

export interface HardwareBoardFile {
  readonly name: string;
  readonly driver: HardwareDriver | undefined;
  readonly source: string;
  readonly gpio: GpioSection;
  /** Undefined when the file has no `firmata:` section (then no signal may use Firmata). */
  readonly firmata: FirmataSection | undefined;
  readonly modbus: ModbusSection;
}

export interface SimBoardFile {
  readonly name: string;
  readonly driver: 'sim';
  readonly source: string;
}

export type BoardFile = SimBoardFile | HardwareBoardFile;
