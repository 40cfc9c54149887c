/**
 * `covenant analyse …`: themes, suggested codes and evaluation from the command line (issue 8, item 3), for
 * operators and for measuring the engine on any labelled data. The platform's `covenant` command calls
 * runAnalyseCommand with the arguments after `analyse`.
 *
 * Exit codes: 0 success, 1 unreadable or invalid input (or output that cannot be written), 2 usage error.
 * Every error is one plain line on stderr; no stack traces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { suggestCodes } from './core/classify.ts';
import { embedAnswers } from './core/embeddings.ts';
import type { DenseVectors } from './core/embeddings.ts';
import { CsvError, decodeCsvBytes, readCsvTable, stringifyCsv } from './core/csv.ts';
import { multiLabelScores, normalisedMutualInformation } from './core/metrics.ts';
import { discoverThemes } from './core/themes.ts';
import type { Answer, CodedAnswer } from './core/types.ts';
import { EmbeddingsError, loadOnnxEmbedder } from './embeddings.onnx.ts';

export type CliIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export type AnalyseDefaults = {
  /** Embeddings folder used when --embeddings is not given (the platform passes ANALYSIS_EMBEDDINGS_DIR). */
  embeddingsDir?: string;
};

const USAGE = `Usage: covenant analyse <command> [options]

Commands:
  themes    --input answers.csv [--k N] [--seed S] [--embeddings DIR] --output themes.json
            Group free-text answers (CSV header id,text) into themes with key phrases and quotes.
  code      --input answers.csv --coded coded.csv [--seed S] [--embeddings DIR] --output suggested.csv
            Suggest codes for every answer not in coded.csv (header id,labels; labels separated by |).
  evaluate  --predicted suggested.csv --truth truth.csv [--themes themes.json]
            Print micro and macro F1 and per-code precision, recall and F1; with --themes, the NMI
            between themes and each answer's first true code.

--embeddings DIR uses an ONNX sentence-embedding model in DIR (model.onnx, vocab.txt, optional
tokenizer_config.json) for the document vectors; the default is ANALYSIS_EMBEDDINGS_DIR. Nothing is
downloaded; without a folder the engine uses TF-IDF only.
`;

/** A problem with the command line itself (exit code 2). */
class UsageError extends Error {}
/** A problem with an input or output file (exit code 1). */
class InputError extends Error {}

const COMMANDS: Record<string, { required: string[]; optional: string[] }> = {
  themes: { required: ['input', 'output'], optional: ['k', 'seed', 'embeddings'] },
  code: { required: ['input', 'coded', 'output'], optional: ['seed', 'embeddings'] },
  evaluate: { required: ['predicted', 'truth'], optional: ['themes'] },
};

/** Runs `covenant analyse` with the given arguments and returns the process exit code. */
export async function runAnalyseCommand(
  argv: string[],
  io: CliIo,
  defaults: AnalyseDefaults = {},
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const spec = COMMANDS[command];
    if (!spec) throw new UsageError(`unknown command "${command}"; expected themes, code or evaluate`);
    const flags = parseFlags(rest, spec.required, spec.optional, command);
    const embeddingsDir = flags.get('embeddings') ?? defaults.embeddingsDir;
    if (embeddingsDir !== undefined && command !== 'evaluate') flags.set('embeddings', embeddingsDir);
    if (command === 'themes') return await runThemes(flags, io);
    if (command === 'code') return await runCode(flags, io);
    return await runEvaluate(flags, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`covenant analyse: ${error.message}\nRun "covenant analyse --help" for usage.\n`);
      return 2;
    }
    if (error instanceof EmbeddingsError) {
      io.stderr.write(`covenant analyse: embeddings: ${error.message}\n`);
      return 1;
    }
    if (error instanceof InputError || error instanceof CsvError || error instanceof RangeError) {
      io.stderr.write(`covenant analyse: ${error.message}\n`);
      return 1;
    }
    // Anything else is a bug; still one line, never a stack trace for an operator.
    io.stderr.write(
      `covenant analyse: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

function parseFlags(
  args: string[],
  required: string[],
  optional: string[],
  command: string,
): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!required.includes(name) && !optional.includes(name)) {
      throw new UsageError(`unknown option --${name} for "${command}"`);
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new UsageError(`--${name} needs a value`);
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    flags.set(name, value);
  }
  const missing = required.filter((r) => !flags.has(r));
  if (missing.length > 0)
    throw new UsageError(`"${command}" needs ${missing.map((m) => `--${m}`).join(' and ')}`);
  return flags;
}

async function readText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `cannot find ${path}`
        : code === 'EISDIR'
          ? `${path} is a folder, not a file`
          : `cannot read ${path} (${code ?? 'error'})`,
    );
  }
  try {
    return decodeCsvBytes(bytes);
  } catch (error) {
    if (error instanceof CsvError) throw new InputError(`${basename(path)}: ${error.message}`);
    throw error;
  }
}

async function readTable(
  path: string,
  required: string[],
): Promise<{ records: Record<string, string>[]; lines: number[] }> {
  const text = await readText(path);
  return readCsvTable(text, { required, fileLabel: basename(path) });
}

function checkIds(records: Record<string, string>[], lines: number[], file: string): void {
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const id = (r.id ?? '').trim();
    if (id === '') throw new InputError(`${file} line ${lines[i]}: the id is empty`);
    if (seen.has(id)) throw new InputError(`${file} line ${lines[i]}: id "${id}" appears more than once`);
    seen.add(id);
  });
}

async function readAnswers(path: string): Promise<Answer[]> {
  const { records, lines } = await readTable(path, ['id', 'text']);
  checkIds(records, lines, basename(path));
  return records.map((r) => ({ id: (r.id as string).trim(), text: r.text ?? '' }));
}

async function readLabels(path: string): Promise<CodedAnswer[]> {
  const { records, lines } = await readTable(path, ['id', 'labels']);
  checkIds(records, lines, basename(path));
  return records.map((r) => ({ id: (r.id as string).trim(), labels: splitLabels(r.labels ?? '') }));
}

function splitLabels(field: string): string[] {
  return [
    ...new Set(
      field
        .split('|')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ),
  ];
}

async function writeOutput(path: string, content: string): Promise<void> {
  try {
    await writeFile(path, content, 'utf8');
  } catch (error) {
    throw new InputError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Sentence vectors for the answers when an embeddings folder is set, else undefined (TF-IDF). The folder
 * is checked before any work is done, and an unusable one is an error, never a quiet fall-back.
 */
async function vectorsFor(
  answers: readonly Answer[],
  flags: Map<string, string>,
  io: CliIo,
): Promise<DenseVectors | undefined> {
  const dir = flags.get('embeddings');
  if (dir === undefined) return undefined;
  const started = Date.now();
  const embedder = await loadOnnxEmbedder(dir);
  const vectors = await embedAnswers(answers, embedder);
  io.stdout.write(
    `sentence embeddings from ${dir} (${embedder.dim} dimensions) for ${answers.length} answers in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return vectors;
}

async function runThemes(flags: Map<string, string>, io: CliIo): Promise<number> {
  let k: number | undefined;
  const kText = flags.get('k');
  if (kText !== undefined) {
    k = Number(kText);
    if (!/^\d+$/.test(kText) || k < 1 || k > 500)
      throw new UsageError(`--k must be a whole number from 1 to 500, got "${kText}"`);
  }
  const answers = await readAnswers(flags.get('input') as string);
  if (answers.length === 0)
    throw new InputError(`${basename(flags.get('input') as string)} has a header but no answers`);
  const vectors = await vectorsFor(answers, flags, io);
  const result = discoverThemes(answers, { k, seed: flags.get('seed') ?? 1, vectors });
  const output = {
    themes: result.themes.map((t) => ({
      id: t.id,
      label: t.label,
      keyPhrases: t.keyPhrases,
      quotes: t.quotes,
      size: t.size,
      kind: t.kind,
      sentiment: t.sentiment,
    })),
    assignments: result.assignments,
    meta: {
      answers: answers.length,
      k: result.k,
      kChosenBy: result.kChosenBy,
      silhouette: result.silhouette,
      ...(vectors ? { vectors: 'sentence embeddings' } : {}),
    },
  };
  await writeOutput(flags.get('output') as string, `${JSON.stringify(output, null, 2)}\n`);
  const topics = result.themes.filter((t) => t.kind === 'topic').length;
  io.stdout.write(
    `${topics} themes from ${answers.length} answers (k ${result.kChosenBy === 'given' ? 'given' : `chosen by ${result.kChosenBy}`}); written to ${flags.get('output')}\n`,
  );
  return 0;
}

async function runCode(flags: Map<string, string>, io: CliIo): Promise<number> {
  const answers = await readAnswers(flags.get('input') as string);
  const coded = await readLabels(flags.get('coded') as string);
  const known = new Set(answers.map((a) => a.id));
  const unknown = coded.filter((c) => !known.has(c.id)).length;
  if (unknown > 0)
    io.stderr.write(
      `covenant analyse: warning: ${unknown} coded ids are not in the answers and were ignored\n`,
    );
  const usable = coded.filter((c) => known.has(c.id) && c.labels.length > 0);
  if (usable.length === 0)
    throw new InputError('no coded answer with at least one label matches an answer id');
  const vectors = await vectorsFor(answers, flags, io);
  const suggestions = suggestCodes({
    answers,
    coded: usable,
    options: { seed: flags.get('seed') ?? 1, vectors },
  });
  // Answers coded with no labels are still "coded": they are left out of the suggestions, as documented.
  const codedIds = new Set(coded.map((c) => c.id));
  const rows = [['id', 'labels', 'confidence']];
  for (const s of suggestions)
    if (!codedIds.has(s.id)) rows.push([s.id, s.labels.join('|'), s.confidence.toFixed(4)]);
  await writeOutput(flags.get('output') as string, stringifyCsv(rows));
  io.stdout.write(
    `suggested codes for ${rows.length - 1} answers from ${usable.length} coded; written to ${flags.get('output')}\n`,
  );
  return 0;
}

const ThemesFile = z.object({
  assignments: z.array(
    z.object({ id: z.union([z.string(), z.number()]), themes: z.array(z.union([z.string(), z.number()])) }),
  ),
});

async function runEvaluate(flags: Map<string, string>, io: CliIo): Promise<number> {
  const predicted = await readLabels(flags.get('predicted') as string);
  const truth = await readLabels(flags.get('truth') as string);
  const predictedMap = new Map(predicted.map((p) => [p.id, p.labels]));
  const truthMap = new Map(truth.map((t) => [t.id, t.labels]));
  const report = multiLabelScores(predictedMap, truthMap);
  if (report.answers === 0) throw new InputError('no id appears in both the predicted and the truth file');
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    `answers compared: ${report.answers}`,
    `micro F1: ${f(report.micro.f1)} (precision ${f(report.micro.precision)}, recall ${f(report.micro.recall)})`,
    `macro F1: ${f(report.macro.f1)} (precision ${f(report.macro.precision)}, recall ${f(report.macro.recall)})`,
    '',
    'code,precision,recall,f1,support',
    ...report.perLabel.map((s) => `${s.label},${f(s.precision)},${f(s.recall)},${f(s.f1)},${s.support}`),
  ];
  const themesPath = flags.get('themes');
  if (themesPath !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readText(themesPath));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${basename(themesPath)} is not valid JSON`);
    }
    const result = ThemesFile.safeParse(parsed);
    if (!result.success)
      throw new InputError(
        `${basename(themesPath)} is not a themes file: it needs "assignments" with id and themes`,
      );
    const themeOf = new Map(
      result.data.assignments.map((a) => [String(a.id), String(a.themes[0] ?? 'none')]),
    );
    const ids = truth.filter((t) => themeOf.has(t.id) && t.labels.length > 0);
    const nmi = normalisedMutualInformation(
      ids.map((t) => themeOf.get(t.id) as string),
      ids.map((t) => t.labels[0] as string),
    );
    lines.push('', `NMI (themes vs first true code, ${ids.length} answers): ${f(nmi)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
