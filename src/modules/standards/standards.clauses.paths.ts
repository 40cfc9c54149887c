/** URLs of the public agreement check (issue 5, item 2: clauses A1–A3). */
import { definePath } from '../../platform/http/paths.ts';

export const clausesPaths = {
  /** The form (GET) and its results (POST: the text is checked and shown, never stored). */
  check: definePath('/check-an-agreement'),
};
