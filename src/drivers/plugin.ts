// What a driver folder exports to the registry: its part of the board file, and how to open it.
// The plug-in module itself stays light: the driver's code and device library load in open().
import type { Logger } from 'pino';
import type { BoardSectionSpec } from '../io/board-section.js';
import type { DriverBoard } from './types.js';

export interface OpenContext<Deps> {
  readonly logger: Logger;
  /** The board file's path, for messages. */
  readonly source: string;
  /** Test seams: device libraries to use instead of the real ones. */
  readonly deps: Deps | undefined;
}

export interface DriverPlugin<Section, Deps> extends BoardSectionSpec<Section> {
  /** True when the section maps a signal; only then is the driver's code loaded and opened. */
  used(section: Section): section is NonNullable<Section>;
  /** The section with only the signals in `keep` (an unused pin is never exported or polled). */
  only(section: Section, keep: ReadonlySet<string>): Section;
  open(section: NonNullable<Section>, ctx: OpenContext<Deps>): Promise<DriverBoard>;
}

/** Keeps the entries of a signal list whose name is in `keep`. */
export const pick = <T extends { readonly name: string }>(xs: readonly T[], keep: ReadonlySet<string>): T[] => xs.filter((x) => keep.has(x.name));
