/**
 * The telemetry CLI: `main(argv, ctx)` picks a command and returns the exit code.
 */
import type { Context } from '../shared/context.ts';
import { ExitCode, reportCliError, usageError } from '../shared/errors.ts';
import { alertsCommand, dashboardCommand } from './dashboard.ts';
import { logCommand } from './log.ts';

type Command = (args: string[], ctx: Context) => Promise<ExitCode>;

const COMMANDS: Record<string, Command> = {
  log: logCommand,
  dashboard: dashboardCommand,
  show: dashboardCommand,
  alerts: alertsCommand,
  check: alertsCommand,
};

export const USAGE = `Usage: npm run telemetry <command> [arguments]

Commands:
  log <type> [value] [key=value ...]   append one metric (build_times, test_results, ai_tokens, ...)
  dashboard (or show)                  summarise every log: tokens, builds, tests, alerts
  alerts (or check)                    exit 1 when an alert fires, for CI

Run "npm run telemetry <command> -- --help" for a command's options.`;

export async function main(argv: string[], ctx: Context): Promise<ExitCode> {
  const [name, ...args] = argv;
  try {
    if (name === undefined) throw usageError(`A command is needed.\n\n${USAGE}`);
    if (name === '--help' || name === '-h' || name === 'help') {
      ctx.stdout.write(`${USAGE}\n`);
      return ExitCode.OK;
    }
    const command = COMMANDS[name];
    if (!command) throw usageError(`Unknown command "${name}". Try: ${Object.keys(COMMANDS).join(', ')}.`);
    return await command(args, ctx);
  } catch (error) {
    return reportCliError(error, ctx.stderr);
  }
}
