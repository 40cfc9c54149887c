/**
 * `covenant scorecards rebuild | refresh`: rebuild recomputes every case's scorecard facts and every counter
 * from the cases (after a bulk load, or as a repair); refresh applies what changed since the watermark (what
 * the every-minute job does). Exit 0 done, 2 usage error.
 */
import type { CliIo } from '../../cli.ts';
import type { Deps } from '../../container.ts';

export const SCORECARDS_USAGE = 'Usage: covenant scorecards rebuild | covenant scorecards refresh\n';

export async function runScorecardsCommand(argv: string[], io: CliIo, deps: Deps): Promise<number> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  if (argv[0] === 'rebuild' && argv.length === 1) {
    const result = await deps.scorecardsRefresh.rebuild();
    io.stdout.write(
      `Scorecards rebuilt from ${result.cases} cases in ${seconds()} s (timeline events up to ${result.watermark}).\n`,
    );
    return 0;
  }
  if (argv[0] === 'refresh' && argv.length === 1) {
    const result = await deps.scorecardsRefresh.refresh();
    io.stdout.write(`Scorecards refreshed: ${result.cases} cases recomputed in ${seconds()} s.\n`);
    return 0;
  }
  io.stderr.write(SCORECARDS_USAGE);
  return 2;
}
