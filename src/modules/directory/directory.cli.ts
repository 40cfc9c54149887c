/**
 * `covenant directory import-csos FILE [--dry-run]` and `covenant directory import-bodies [--govuk FILE]
 * [--local-authorities FILE]`. Exit codes as the CLI: 0 done, 1 failed (row errors or a bad file), 2 usage.
 */
import { readFileSync } from 'node:fs';
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { CsvError, decodeCsvBytes } from '../analysis/core/csv.ts';
import { ImportFileError, type ImportPlan } from './directory.import.ts';

export interface DirectoryCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const usage = `Usage:
  covenant directory import-csos FILE [--dry-run]
  covenant directory import-bodies [--govuk FILE] [--local-authorities FILE]
`;

const MAX_ERRORS_SHOWN = 50;

function optionValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A reference file's text; a file that is not UTF-8 (Latin-1, UTF-16) is a CsvError naming the file. */
function readReferenceFile(file: string): string {
  try {
    return decodeCsvBytes(new Uint8Array(readFileSync(file)));
  } catch (error) {
    if (error instanceof CsvError) throw new CsvError(`${file}: ${error.message}`, error.line);
    throw error;
  }
}

function writeErrors(plan: ImportPlan, io: DirectoryCliIo) {
  const t = translator('en', false);
  for (const e of plan.errors.slice(0, MAX_ERRORS_SHOWN))
    io.stderr.write(
      `  row ${e.row} (line ${e.line}), ${e.field}: ${t(`directory.import.rowErrors.${e.key}`, e.params)}\n`,
    );
  if (plan.errors.length > MAX_ERRORS_SHOWN)
    io.stderr.write(`  … and ${plan.errors.length - MAX_ERRORS_SHOWN} more errors\n`);
}

export async function runDirectoryCommand(argv: string[], io: DirectoryCliIo, deps: Deps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'import-bodies') {
    const govuk = optionValue(rest, '--govuk');
    const localAuthorities = optionValue(rest, '--local-authorities');
    try {
      const result = await deps.directory.importReferenceBodies(systemActor, {
        govuk: govuk ? readReferenceFile(govuk) : undefined,
        localAuthorities: localAuthorities ? readReferenceFile(localAuthorities) : undefined,
      });
      io.stdout.write(
        `Public bodies: ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged, ${result.closed} closed.\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof CsvError) {
        io.stderr.write(`${error.message}\nNothing was imported.\n`);
        return 1;
      }
      throw error;
    }
  }
  if (sub === 'import-csos') {
    const file = rest.find((a) => !a.startsWith('--'));
    if (!file) {
      io.stderr.write(usage);
      return 2;
    }
    const bytes = new Uint8Array(readFileSync(file));
    const dryRun = rest.includes('--dry-run');
    try {
      const { plan, imported } = dryRun
        ? { plan: await deps.directory.dryRunCsos(bytes), imported: false }
        : await deps.directory.importCsos(systemActor, bytes, file);
      const { counts } = plan;
      const summary = `${plan.rows} rows: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${plan.errors.length} with errors.`;
      if (plan.errors.length > 0) {
        io.stderr.write(`${summary}\nNothing was imported. Fix these rows and try again:\n`);
        writeErrors(plan, io);
        return 1;
      }
      io.stdout.write(dryRun ? `Dry run: ${summary} Nothing was written.\n` : `Imported. ${summary}\n`);
      return imported || dryRun ? 0 : 1;
    } catch (error) {
      if (error instanceof ImportFileError) {
        io.stderr.write(`${error.message}\nNothing was imported.\n`);
        return 1;
      }
      throw error;
    }
  }
  io.stderr.write(usage);
  return 2;
}
