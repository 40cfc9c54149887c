/** Typed URLs of the analysis pages, for routes, redirects, templates and tests. */
import { definePath } from '../../platform/http/paths.ts';

export const analysisPaths = {
  sets: definePath('/analysis'),
  newSet: definePath('/analysis/sets/new'),
  set: definePath('/analysis/sets/:setId'),
  run: definePath('/analysis/sets/:setId/run'),
  theme: definePath('/analysis/sets/:setId/themes/:themeId'),
  rename: definePath('/analysis/sets/:setId/themes/:themeId/rename'),
  merge: definePath('/analysis/sets/:setId/themes/:themeId/merge'),
  split: definePath('/analysis/sets/:setId/themes/:themeId/split'),
  remove: definePath('/analysis/sets/:setId/themes/:themeId/delete'),
  move: definePath('/analysis/sets/:setId/themes/:themeId/move'),
  codebook: definePath('/analysis/sets/:setId/codebook'),
  code: definePath('/analysis/sets/:setId/codebook/:codeId'),
  item: definePath('/analysis/sets/:setId/items/:itemId'),
  suggestions: definePath('/analysis/sets/:setId/suggestions'),
  accept: definePath('/analysis/sets/:setId/suggestions/:itemId/accept'),
  agreement: definePath('/analysis/sets/:setId/agreement'),
};
