// Typed reads of journal record fields: a report never trusts a record's shape (old versions,
// hand-edited files), so a missing or odd field reads as undefined instead of throwing.

/** A journal record as the report needs it (the runtime's JournalRecord fits; no import of the runtime). */
export type JournalRecord = { readonly at: string; readonly type: string } & Readonly<Record<string, unknown>>;

export const str = (r: JournalRecord, k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
export const num = (r: JournalRecord, k: string): number | undefined => (typeof r[k] === 'number' ? (r[k] as number) : undefined);
export const bool = (r: JournalRecord, k: string): boolean | undefined => (typeof r[k] === 'boolean' ? (r[k] as boolean) : undefined);

/** One record with its time parsed once. */
export interface At {
  readonly r: JournalRecord;
  readonly ms: number;
}
