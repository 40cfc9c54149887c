import { definePath } from '../../platform/http/paths.ts';

export const pagePaths = {
  home: definePath('/'),
  accessibility: definePath('/accessibility-statement'),
  privacy: definePath('/privacy'),
  cookies: definePath('/cookies'),
};
