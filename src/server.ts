/**
 * Start-up only: configuration → database → migrations → demo data (empty database, not production) →
 * createApp → listen; and a graceful shutdown that finishes in-flight requests and jobs before closing the
 * database, so a restart loses nothing that was acknowledged.
 */
import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.ts';
import { createDeps } from './container.ts';
import { createApp } from './app.ts';
import { loadDemoDataIfEmpty } from './platform/db/demo.ts';
import { ensureCovenantReference } from './modules/covenant/covenant.seed.ts';
import { ensureResourceLibrary } from './modules/resources/resources.seed.ts';

const started = performance.now();

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const deps = await createDeps(config);
await deps.db.migrate();
// The Covenant text is reference data: every fresh database gets it, demo or not (idempotent).
await ensureCovenantReference(deps.db, deps.clock);
const demo = await loadDemoDataIfEmpty(deps);
// The directory's public bodies too, after the demo (which loads them itself into an empty database).
await deps.directory.ensureReferenceData();
// The resource library's starting set too (idempotent; the demo loads it with the demo admin as owner).
await ensureResourceLibrary(deps.db, deps.clock);
const app = await createApp(deps);
await deps.jobs.start();
const address = await app.listen({ host: config.HOST, port: config.PORT });

if (demo) {
  console.log('\nDemo data loaded. Demo accounts (password for all: see README):');
  for (const line of demo.summary) console.log(`  ${line}`);
}
console.log(
  `\nCovenant Hub is running at ${config.BASE_URL} (${deps.db.dialect}; listening on ${address}) after ${Math.round(performance.now() - started)} ms\n`,
);

// A configured embeddings folder is opened in the background: a problem is logged loudly, never stops the app.
if (config.ANALYSIS_EMBEDDINGS_DIR) {
  void deps.analysis.checkEmbeddings().then((state) => {
    if (state && 'problem' in state)
      app.log.warn(
        { problem: state.problem },
        'ANALYSIS_EMBEDDINGS_DIR cannot be used: theme runs and suggested codes will fail until it is fixed or unset',
      );
    else if (state) app.log.info(state, 'sentence embeddings ready for analysis');
  });
}

// The directory's search index loads in the background; searches use SQL until it is ready.
deps.directorySearch.onError((error) =>
  app.log.error({ err: error }, 'directory search index: load failed (SQL answers searches)'),
);
void deps.directorySearch.warm().then(
  () => app.log.info({ organisations: deps.directorySearch.size }, 'directory search index ready'),
  () => undefined,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 20_000);
  force.unref();
  try {
    await app.close();
    await deps.jobs.stop();
    await deps.db.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
