/**
 * The `covenant` command: administration, imports, exports and jobs from a terminal.
 *
 * Exit codes: 0 done; 1 the command failed (the message says why); 2 usage error (nothing was attempted);
 * 78 invalid configuration. Commands that need the database open it from the same configuration as the
 * web service (DATABASE_URL or the embedded database in DATA_DIR).
 */
import { ConfigError, loadConfig, readConfigKey } from './config.ts';
import { createDeps, type Deps } from './container.ts';
import { isDatabaseEmpty, seedDemoData } from './platform/db/demo.ts';
import { runBankHolidaysCommand, runWorkingDaysCommand } from './platform/calendar/calendar.cli.ts';
import { runDirectoryCommand } from './modules/directory/directory.cli.ts';
import { runCreateAdminCommand, runUsersCommand } from './modules/accounts/accounts.cli.ts';
import { ensureCovenantReference } from './modules/covenant/covenant.seed.ts';
import { ensureResourceLibrary } from './modules/resources/resources.seed.ts';
import { runAnalyseCommand } from './modules/analysis/analysis.cli.ts';
import { runClausesCommand } from './modules/standards/standards.cli.ts';
import { runScorecardsCommand } from './modules/scorecards/scorecards.cli.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

interface Command {
  summary: string;
  /** Opens the database (and migrates it) before running. */
  needsDeps: boolean;
  run(argv: string[], io: CliIo, deps: Deps | null, env: NodeJS.ProcessEnv): Promise<number>;
}

const commands: Record<string, Command> = {
  migrate: {
    summary: 'Apply pending database migrations',
    needsDeps: true,
    async run(_argv, io, deps) {
      const before = await deps!.db.pendingMigrations();
      await deps!.db.migrate();
      io.stdout.write(before === 0 ? 'The database is up to date.\n' : `Applied ${before} migration(s).\n`);
      return 0;
    },
  },
  seed: {
    summary:
      'seed --demo: load demo data into an empty database (never in production) | seed --reference: load the Covenant text and the public bodies only (idempotent)',
    needsDeps: true,
    async run(argv, io, deps) {
      if (argv.includes('--reference')) {
        // Reference data belongs in every database, production included; existing data is left alone.
        await ensureCovenantReference(deps!.db, deps!.clock);
        await ensureResourceLibrary(deps!.db, deps!.clock);
        const bodies = await deps!.directory.ensureReferenceData();
        io.stdout.write(
          bodies
            ? `Reference data loaded: the Covenant text and ${bodies.inserted} public bodies.\n`
            : 'Reference data is already loaded (use `covenant directory import-bodies` for newer files).\n',
        );
        return 0;
      }
      if (!argv.includes('--demo')) {
        io.stderr.write('Usage: covenant seed --demo | covenant seed --reference\n');
        return 2;
      }
      if (deps!.config.isProduction) {
        io.stderr.write('Demo data is never loaded when NODE_ENV=production.\n');
        return 1;
      }
      if (!(await isDatabaseEmpty(deps!))) {
        io.stderr.write('The database already has data: demo data is only loaded into an empty database.\n');
        return 1;
      }
      const result = await seedDemoData(deps!);
      io.stdout.write(`Demo data loaded.\n${result.summary.map((l) => `  ${l}`).join('\n')}\n`);
      return 0;
    },
  },
  'create-admin': {
    summary:
      'create-admin --email E --name N [--password-stdin]: create an administrator of the Covenant team',
    needsDeps: true,
    run: (argv, io, deps) => runCreateAdminCommand(argv, io, deps!),
  },
  users: {
    summary: 'users list [--role R] [--json]: list accounts with their roles',
    needsDeps: true,
    run: (argv, io, deps) => runUsersCommand(argv, io, deps!),
  },
  jobs: {
    summary: 'jobs run-once: run every background task once now (outbox, reminders, escalations)',
    needsDeps: true,
    async run(argv, io, deps) {
      if (argv[0] !== 'run-once') {
        io.stderr.write('Usage: covenant jobs run-once\n');
        return 2;
      }
      const results = await deps!.jobs.runOnce();
      for (const [name, result] of Object.entries(results))
        io.stdout.write(`${name}: ${JSON.stringify(result)}\n`);
      return 0;
    },
  },
  outbox: {
    summary: 'outbox send: send the emails that are due now',
    needsDeps: true,
    async run(argv, io, deps) {
      if (argv[0] !== 'send') {
        io.stderr.write('Usage: covenant outbox send\n');
        return 2;
      }
      const result = await deps!.outbox.sendDue(1000);
      io.stdout.write(`Sent ${result.sent}, will retry ${result.retried}, gave up on ${result.failed}.\n`);
      return result.failed > 0 ? 1 : 0;
    },
  },
  directory: {
    summary:
      'directory import-csos FILE [--dry-run] | import-bodies [--govuk FILE] [--local-authorities FILE]',
    needsDeps: true,
    run: (argv, io, deps) => runDirectoryCommand(argv, io, deps!),
  },
  'working-days': {
    summary: 'working-days add <date> <n> | between <from> <to> [--nation N]',
    needsDeps: false,
    run: (argv, io) => runWorkingDaysCommand(argv, io),
  },
  'bank-holidays': {
    summary: "bank-holidays refresh: fetch and check GOV.UK's bank holiday list",
    needsDeps: false,
    run: (argv, io) => runBankHolidaysCommand(argv, io),
  },
  analyse: {
    summary:
      'analyse themes | code | evaluate: offline thematic analysis of free text (CSV in, JSON/CSV out)',
    needsDeps: false,
    // The embeddings folder defaults to the platform's setting; --embeddings overrides it.
    run: (argv, io, _deps, env) =>
      runAnalyseCommand(argv, io, { embeddingsDir: readConfigKey('ANALYSIS_EMBEDDINGS_DIR', env) }),
  },
  clauses: {
    summary:
      'clauses check FILE…: find gagging and anti-advocacy clauses (A1–A3) in agreements (.txt, .docx, .pdf)',
    needsDeps: false,
    run: (argv, io) => runClausesCommand(argv, io),
  },
  scorecards: {
    summary: "scorecards rebuild | refresh: recompute the scorecards' casework facts (all, or what changed)",
    needsDeps: true,
    run: (argv, io, deps) => runScorecardsCommand(argv, io, deps!),
  },
};

/** Later capabilities add their commands here (kept in one table so `--help` lists everything). */
export function registerCommand(name: string, command: Command) {
  commands[name] = command;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'Usage: covenant <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `covenant <command> --help` for a command’s options.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo, env = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (!command.needsDeps) {
    try {
      return await command.run(rest, io, null, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr.write(`${error.message}\n`);
      return 78;
    }
  }
  let deps: Deps | null = null;
  try {
    const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
    deps = await createDeps(config, { runWorker: false });
    if (name !== 'migrate') await deps.db.migrate();
    return await command.run(rest, io, deps, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 78;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`covenant ${name} failed: ${message}\n`);
    return 1;
  } finally {
    await deps?.db.close().catch(() => undefined);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.env.COVENANT_CLI_MAIN === '1') {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
  process.exitCode = code;
}
