// Built-in device profiles: the public register maps of meters and generator controllers, one data
// file per device (profiles/*.json, each citing its source), so a board file names a point, not a register.
import { z } from 'zod';
import sdm120 from './profiles/eastron-sdm120.json' with { type: 'json' };
import sdm630 from './profiles/eastron-sdm630.json' with { type: 'json' };
import gencomm from './profiles/dse-gencomm.json' with { type: 'json' };

const pointSchema = z
  .object({
    table: z.enum(['holding', 'input', 'coil', 'discrete']),
    register: z.number().int().min(0).max(65535),
    type: z.enum(['u16', 's16', 'u32', 's32', 'float32']),
    wordOrder: z.enum(['big', 'little']).default('big'),
    scale: z.number().optional(),
    unit: z.string(),
    /** `write`: a command register that is only ever written (a read answers nothing useful). */
    access: z.enum(['read', 'write']).default('read'),
    /**
     * A command register an on/off output may be mapped to: `on`/`off` are the keys written when the
     * output turns on or off, each with its one's complement in the next register, in one FC16.
     */
    commands: z
      .object({ on: z.number().int().min(0).max(65535), off: z.number().int().min(0).max(65535) })
      .strict()
      .optional(),
    description: z.string().min(1),
  })
  .strict();

const profileSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    source: z.string().min(1),
    points: z.record(z.string().regex(/^[A-Za-z0-9]+$/), pointSchema),
  })
  .strict();

export type ProfilePoint = z.output<typeof pointSchema>;
export type Profile = z.output<typeof profileSchema>;

/** The built-in profiles by name; a malformed data file fails at load, in every test run. */
export const PROFILES: ReadonlyMap<string, Profile> = new Map(
  [sdm120, sdm630, gencomm].map((raw) => {
    const p = profileSchema.parse(raw);
    return [p.name, p] as const;
  }),
);

export const profileNames = (): string[] => [...PROFILES.keys()];
