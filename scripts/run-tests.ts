/**
 * The test runner behind `npm test` and `npm run test:e2e`.
 *
 * Node 20's `node --test dir/` finds no TypeScript files and still exits 0, so this script expands the globs
 * itself and fails loudly when it finds nothing. Before the files run it prepares one migrated database
 * template (a PGlite data-directory dump, or a PostgreSQL template database when TEST_DATABASE_URL is set)
 * that every test file clones, so each file is isolated without paying initdb each time.
 *
 * Usage: node --import tsx scripts/run-tests.ts [--e2e] [file-or-substring ...]
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { prepareTestDatabaseTemplate } from '../test/helpers/database-template.ts';

const root = path.resolve(import.meta.dirname, '..');

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const filters = args.filter((a) => !a.startsWith('--'));

const isE2e = (f: string) => f.startsWith(path.join('test', 'e2e') + path.sep);
let files = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))]
  .filter((f) => (e2e ? isE2e(f) : !isE2e(f)))
  .sort();
if (filters.length > 0) files = files.filter((f) => filters.some((flt) => f.includes(flt)));

if (files.length === 0) {
  console.error('No test files found: refusing to report success for a run that tested nothing.');
  process.exit(1);
}

const template = await prepareTestDatabaseTemplate();
const concurrency = e2e ? 1 : Number(process.env.TEST_CONCURRENCY ?? 2);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...template.env, NODE_ENV: 'test' },
  },
);
child.on('exit', async (code, signal) => {
  await template.cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});
