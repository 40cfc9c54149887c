/**
 * Stand-alone runner for `covenant analyse` until the platform's `covenant` command wires it in:
 *   node --import tsx src/modules/analysis/analysis.main.ts themes --input answers.csv --output themes.json
 */
import { runAnalyseCommand } from './analysis.cli.ts';

process.exitCode = await runAnalyseCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
