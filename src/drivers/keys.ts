// Signal-entry keys that more than one driver reads: one schema each, so a key means the same
// under every driver (the board loader refuses a key declared twice with different schemas).
import { z } from 'zod';
import { duration } from '../config/duration.js';

export const staleMs = duration().optional();
export const pin = z.number().int().min(0).max(4095).optional();
export const activeLow = z.boolean().optional();
export const contact = z.enum(['NO', 'NC']).optional();
export const debounceMs = duration().optional();
export const scale = z.number().refine(Number.isFinite).optional();
export const offset = z.number().refine(Number.isFinite).optional();

/** Names of devices and buses in a section: letters, digits, _ or -. */
export const nameKey = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or - (e.g. "rs485" or "meterA")');
