/**
 * The telemetry CLI: `main(argv, ctx)` picks a command and returns the exit code.
 */
import { printUsage } from '../shared/args.ts';
import type { Context } from '../shared/context.ts';
import { reportCliError, usageError } from '../shared/errors.ts';

/** Returns the exit code: 0, 1 or 2, or for `run` the wrapped command's own. */
type Command = (args: string[], ctx: Context) => Promise<number>;

/**
 * Each command is loaded when it is used: `log` runs in build scripts many
 * times a day and should not pay for loading the dashboard and exporters.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  log: async () => (await import('./log.ts')).logCommand,
  dashboard: async () => (await import('./dashboard.ts')).dashboardCommand,
  show: async () => (await import('./dashboard.ts')).dashboardCommand,
  alerts: async () => (await import('./dashboard.ts')).alertsCommand,
  check: async () => (await import('./dashboard.ts')).alertsCommand,
  run: async () => (await import('./run.ts')).runCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  push: async () => (await import('./export.ts')).pushCommand,
};

export const USAGE = `Usage: npm run telemetry <command> [arguments]

Commands:
  log <type> [value] [key=value ...]   append one metric (build_times, test_results, ai_tokens, ...)
  dashboard (or show)                  summarise every log: tokens, builds, tests, alerts
  alerts (or check)                    exit 1 when an alert fires, for CI
  run [--type ...] -- <command>        run a build or test command and record its time or results
  export --format prometheus|otlp-json|json [--out FILE]
                                       the dashboard's figures for a metrics stack
  push --pushgateway <url> | --otlp <url>
                                       send them to a Prometheus Pushgateway or an OTLP collector

Run "npm run telemetry <command> -- --help" for a command's options.`;

export async function main(argv: string[], ctx: Context): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined) throw usageError(`A command is needed.\n\n${USAGE}`);
    if (name === '--help' || name === '-h' || name === 'help') return printUsage(ctx.stdout, USAGE);
    const load = COMMANDS[name];
    if (!load) throw usageError(`Unknown command "${name}". Try: ${Object.keys(COMMANDS).join(', ')}.`);
    const command = await load();
    return await command(args, ctx);
  } catch (error) {
    return reportCliError(error, ctx.stderr);
  }
}
