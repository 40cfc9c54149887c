/**
 * Stand-alone entry point until the `covenant` command wires these in:
 *   node --import tsx src/platform/calendar/calendar.main.ts working-days add 2025-12-19 20 --nation scotland
 *   node --import tsx src/platform/calendar/calendar.main.ts bank-holidays refresh
 */
import { runBankHolidaysCommand, runWorkingDaysCommand } from './calendar.cli.ts';

const [command, ...rest] = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr };

if (command === 'working-days') {
  process.exitCode = await runWorkingDaysCommand(rest, io);
} else if (command === 'bank-holidays') {
  process.exitCode = await runBankHolidaysCommand(rest, io);
} else {
  process.stderr.write('Usage: calendar.main.ts working-days … | bank-holidays …\n');
  process.exitCode = 2;
}
