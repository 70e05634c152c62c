// Board files with the drivers of the registry: the generic loader of src/io/board.ts run on the
// table, and the types of a loaded file (one section per driver).
import { boardSchemas, loadBoardFileWith, validateBoardWith, type BoardFileOf, type HardwareBoardOf } from '../io/board.js';
import { DRIVERS } from './registry.js';

export { isSimBoard } from '../io/board.js';
export type { PinSignal } from './pin-board.js';
export type { GpioSection } from './gpio/index.js';
export type { FirmataSection } from './firmata/index.js';
export type { ModbusSection, ModbusSignal } from './modbus/index.js';

export type HardwareBoardFile = HardwareBoardOf<typeof DRIVERS>;
export type BoardFile = BoardFileOf<typeof DRIVERS>;

const schemas = boardSchemas(DRIVERS);

/** Validates a board file's data; throws ConfigInvalid listing every error. */
export const validateBoard = (raw: unknown, source: string): BoardFile => validateBoardWith(DRIVERS, schemas, raw, source);

/** Loads and validates a board file; throws ConfigInvalid (exit EX_CONFIG) with every error. */
export const loadBoardFile = (path: string): BoardFile => loadBoardFileWith(DRIVERS, schemas, path);
