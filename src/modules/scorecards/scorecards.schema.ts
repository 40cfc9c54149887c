/** The league table's query (a GET form), validated at the edge; messages are catalogue keys. */
import { z } from 'zod';
import { publicBodyTypes } from '../directory/directory.taxonomy.ts';
import { measures } from './scorecards.rules.ts';

const YEAR = 'scorecards.league.errors.year';
const blankToUndefined = (v: unknown) => (v === '' || v === undefined ? undefined : v);

export const LeagueQuery = z.object({
  type: z.preprocess(
    blankToUndefined,
    z.enum(publicBodyTypes, { error: 'scorecards.league.errors.type' }).optional(),
  ),
  measure: z.preprocess(
    blankToUndefined,
    z.enum(measures, { error: 'scorecards.league.errors.measure' }).default('answered'),
  ),
  /** A year, or `all` (the default). */
  year: z.preprocess(
    blankToUndefined,
    z
      .union(
        [
          z.literal('all'),
          z.coerce
            .number({ error: YEAR })
            .int({ error: YEAR })
            .min(2000, { error: YEAR })
            .max(2100, { error: YEAR }),
        ],
        { error: YEAR },
      )
      .default('all'),
  ),
});
export type LeagueQuery = z.infer<typeof LeagueQuery>;
