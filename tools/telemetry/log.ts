/**
 * `telemetry log <type> [value] [key=value ...]`: append one metric entry.
 */
import { parseArguments, printUsage } from '../shared/args.ts';
import { loadConfigAndWarn } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { ExitCode, usageError } from '../shared/errors.ts';
import { makeEntry, parseLogArgs } from './entry.ts';
import { consoleNotices } from './notices.ts';
import { recordEntry } from './record.ts';

export const LOG_USAGE = `Usage: npm run telemetry log <type> [value] [key=value ...]

Appends one line to the type's log. Known types check their value:
  ai_tokens     <tokens>   model=  input=  output=  cache_read=  cache_write=  cost_usd=
  build_times   <seconds>  target=  status=ok|fail
  test_results  pass|fail  passed=  failed=  skipped=  duration=
Any other type (letters, digits and _ . : -) goes to metrics.jsonl in the logs directory.

Examples:
  npm run telemetry log build_times 42.5 target=web
  npm run telemetry log ai_tokens 1234 model=gpt-4o cost_usd=0.02
  npm run telemetry log test_results passed=120 failed=2
  npm run telemetry log deploy ok env=staging`;

export async function logCommand(args: string[], ctx: Context): Promise<ExitCode> {
  const { values, positionals } = parseArguments(
    { args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true },
    'Run "npm run telemetry log -- --help" for usage.',
  );
  if (values.help) return printUsage(ctx.stdout, LOG_USAGE);
  const [type, ...rest] = positionals;
  if (type === undefined) throw usageError(`log needs a metric type.\n\n${LOG_USAGE}`);

  // Check the arguments before the config: a typo in a build script should fail
  // even on a machine where telemetry is switched off.
  const entry = makeEntry(type, parseLogArgs(rest), ctx.now());
  const config = loadConfigAndWarn(ctx);
  recordEntry(entry, config, ctx, consoleNotices(config, ctx.stdout, ctx.stderr));
  return ExitCode.OK;
}
