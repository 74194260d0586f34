/**
 * `npm run health`: probe every configured service at once and report.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArguments, parseMilliseconds, printUsage } from '../shared/args.ts';
import { colorEnabled, painter } from '../shared/color.ts';
import { loadConfigAndWarn, type Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { ExitCode, reportCliError, usageError } from '../shared/errors.ts';
import { formatLocalTime } from '../shared/format.ts';
import { probe, type ProbeResult, type Target } from './probe.ts';
import { exitCodeFor, renderResults, resultLine } from './render.ts';

export const USAGE = `Usage: npm run health [-- options]

  --json              one JSON array on stdout: {name, url, status, httpStatus, latencyMs, detail} per service
  --timeout <ms>      override every configured timeout
  --only <name>       check one service
  --watch [seconds]   check again every N seconds (default 5) until interrupted

Exit code: 0 when every service that is not optional is ok or degraded, 1 otherwise, 2 on bad usage or config.`;

const DEFAULT_WATCH_SECONDS = 5;

export async function main(argv: string[], ctx: Context): Promise<ExitCode> {
  try {
    const options = parseOptions(argv);
    if (options.help) return printUsage(ctx.stdout, USAGE);
    const config = loadConfigAndWarn(ctx);
    const targets = selectTargets(config, options);
    const optional = new Set(targets.filter((t) => t.optional).map((t) => t.name));
    const check = () => Promise.all(targets.map((t) => probe(t, ctx.fetch, ctx.signal)));

    if (options.watchSeconds === undefined) {
      const results = await check();
      if (ctx.signal?.aborted) {
        ctx.stderr.write('Interrupted: no result.\n');
        return ExitCode.FAILURE;
      }
      ctx.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderResults(results, painter(colorEnabled(ctx.env, ctx.stdout)), optional));
      return exitCodeFor(results, optional);
    }
    return await watch(check, options.watchSeconds, options.json, optional, ctx);
  } catch (error) {
    return reportCliError(error, ctx.stderr);
  }
}

/**
 * Re-checks until interrupted, the next round starting when the last one ends.
 * A terminal gets the whole screen redrawn; anything else gets one line per
 * change (every service on the first round), or one JSON array per round.
 */
async function watch(check: () => Promise<ProbeResult[]>, seconds: number, json: boolean, optional: Set<string>, ctx: Context): Promise<ExitCode> {
  const paint = painter(colorEnabled(ctx.env, ctx.stdout));
  const previous = new Map<string, string>();
  let code: ExitCode = ExitCode.OK;
  while (!ctx.signal?.aborted) {
    const results = await check();
    if (ctx.signal?.aborted) break;
    code = exitCodeFor(results, optional);
    const time = formatLocalTime(ctx.now());
    if (json) {
      ctx.stdout.write(`${JSON.stringify(results)}\n`);
    } else if (ctx.stdout.isTTY) {
      ctx.stdout.write(`\u001b[2J\u001b[H${renderResults(results, paint, optional)}${paint('dim', `checked ${time}, every ${seconds} s; Ctrl-C to stop`)}\n`);
    } else {
      for (const result of results) {
        if (previous.get(result.name) !== result.status) ctx.stdout.write(`${time} ${resultLine(result, paint, optional.has(result.name))}\n`);
        previous.set(result.name, result.status);
      }
    }
    try {
      await sleep(seconds * 1000, undefined, { signal: ctx.signal });
    } catch {
      break; // interrupted while waiting
    }
  }
  return code;
}

// ---------------------------------------------------------------------------

interface Options {
  help: boolean;
  json: boolean;
  timeoutMs?: number;
  only?: string;
  watchSeconds?: number;
}

function parseOptions(argv: string[]): Options {
  // `--watch` takes an optional number, which parseArgs cannot express: give it its default here.
  const args = argv.flatMap((arg, i) => (arg === '--watch' && !/^\d+(\.\d+)?$/.test(argv[i + 1] ?? '') ? [`--watch=${DEFAULT_WATCH_SECONDS}`] : [arg]));
  const { values } = parseArguments(
    {
      args,
      options: {
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        only: { type: 'string' },
        watch: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    'Run "npm run health -- --help" for usage.',
  );
  const timeoutMs = parseMilliseconds('--timeout', values.timeout, undefined);
  const watchSeconds = values.watch === undefined ? undefined : Number(values.watch);
  if (watchSeconds !== undefined && !(watchSeconds >= 0.1 && watchSeconds <= 86_400)) {
    throw usageError(`--watch: expected seconds between checks, from 0.1 to 86400, got "${values.watch}".`);
  }
  return { help: values.help ?? false, json: values.json ?? false, timeoutMs, only: values.only, watchSeconds };
}

function selectTargets(config: Config, options: Options): Target[] {
  const { services, timeout_ms } = config.health;
  const chosen = options.only === undefined ? services : services.filter((s) => s.name === options.only);
  if (chosen.length === 0) {
    const known = services.map((s) => `"${s.name}"`).join(', ') || 'none';
    throw usageError(options.only === undefined
      ? 'No services to check: add some under health.services in .config/telemetry/config.yaml.'
      : `--only: no service named "${options.only}" in health.services (known: ${known}).`);
  }
  return chosen.map((s) => ({
    name: s.name,
    url: s.url,
    timeoutMs: options.timeoutMs ?? s.timeout_ms ?? timeout_ms,
    expectStatus: s.expect_status,
    optional: s.optional,
  }));
}
