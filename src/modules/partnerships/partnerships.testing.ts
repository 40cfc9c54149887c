/** Test fixtures for partnerships (imported by the tests only). */
import type { TestApp } from '../../../test/helpers/app.ts';
import { organisations } from '../directory/directory.tables.ts';
import type { areaBodyTypes } from './partnerships.repository.ts';

/** A council (or combined authority) straight in the directory table, as the reference import makes them. */
export async function insertArea(
  t: TestApp,
  slug: string,
  name: string,
  type: (typeof areaBodyTypes)[number] = 'local_authority',
) {
  const [row] = await t.deps.db
    .get()
    .insert(organisations)
    .values({
      slug,
      name,
      kind: 'public_body',
      publicBodyType: type,
      nation: 'england',
      region: 'Yorkshire and The Humber',
    })
    .returning();
  return row!;
}
