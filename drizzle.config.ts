import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema as plain SQL, committed, and applied forward-only at start-up
// and by `covenant migrate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/db/schema.ts',
  out: './migrations',
});
