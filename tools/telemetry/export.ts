/**
 * `telemetry export`: the dashboard's figures in a metrics stack's format.
 * `telemetry push`: the same, sent to a Pushgateway or an OTLP collector.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArguments, parseMilliseconds, printUsage } from '../shared/args.ts';
import { loadConfigAndWarn, type Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { describeSystemError, ExitCode, runtimeError, usageError } from '../shared/errors.ts';
import { HTTP_URL_HINT, isHttpUrl, JOB_NAME, JOB_NAME_HINT } from '../shared/urls.ts';
import { classifyFailure } from '../health/probe.ts';
import { evaluateAlerts } from './alerts.ts';
import { metricFamilies } from './metric-families.ts';
import { renderOtlp } from './otlp.ts';
import { renderPrometheus } from './prometheus.ts';
import { loadSummary, parseSince, type LoadedSummary } from './summary.ts';

export const EXPORT_USAGE = `Usage: npm run telemetry -- export --format prometheus|otlp-json|json [--out FILE] [--since <when>]

  --format   prometheus (text exposition), otlp-json (OTLP/HTTP JSON) or json (the dashboard's --json)
  --out      write to FILE atomically (a temporary file, then a rename) instead of stdout
  --since    only entries at or after: 24h, 7d, 2026-12-01 or an ISO date-time`;

export const PUSH_USAGE = `Usage: npm run telemetry -- push [--pushgateway <url> [--job <name>]] [--otlp <url>] [--since <when>] [--timeout <ms>]

Sends the figures to a Prometheus Pushgateway (PUT <url>/metrics/job/<job>) and/or an
OpenTelemetry collector (POST OTLP/HTTP JSON to <url>, /v1/metrics added when missing).
Without flags, pushes to telemetry.destinations.pushgateway and .otlp where enabled.`;

const FORMATS = ['prometheus', 'otlp-json', 'json'] as const;
type Format = (typeof FORMATS)[number];
const DEFAULT_PUSH_TIMEOUT_MS = 10_000;

export async function exportCommand(args: string[], ctx: Context): Promise<ExitCode> {
  const { values } = parseArguments(
    { args, options: { format: { type: 'string' }, out: { type: 'string' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } } },
    'Run "npm run telemetry -- export --help" for usage.',
  );
  if (values.help) return printUsage(ctx.stdout, EXPORT_USAGE);
  const format = values.format as Format | undefined;
  if (format === undefined || !FORMATS.includes(format)) {
    throw usageError(`--format: expected prometheus, otlp-json or json, got ${format === undefined ? 'nothing' : `"${format}"`}.\n\n${EXPORT_USAGE}`);
  }
  const since = parseSince(values.since, ctx.now());
  const config = loadConfigAndWarn(ctx);
  const loaded = await loadSummary(config, ctx, since);
  failOnUnreadable(loaded);

  const text = render(format, loaded, config, ctx);
  if (values.out === undefined) ctx.stdout.write(text);
  else writeAtomically(resolve(ctx.cwd, values.out), text);
  return ExitCode.OK;
}

export async function pushCommand(args: string[], ctx: Context): Promise<ExitCode> {
  const { values } = parseArguments(
    {
      args,
      options: {
        pushgateway: { type: 'string' },
        job: { type: 'string' },
        otlp: { type: 'string' },
        since: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    'Run "npm run telemetry -- push --help" for usage.',
  );
  if (values.help) return printUsage(ctx.stdout, PUSH_USAGE);
  const since = parseSince(values.since, ctx.now());
  const timeoutMs = parseMilliseconds('--timeout', values.timeout, DEFAULT_PUSH_TIMEOUT_MS);
  const config = loadConfigAndWarn(ctx);
  const targets = pushTargets(values, config);

  const loaded = await loadSummary(config, ctx, since);
  failOnUnreadable(loaded);
  let failures = 0;
  for (const target of targets) {
    const body = render(target.format, loaded, config, ctx);
    const outcome = await send(target, body, timeoutMs, ctx);
    if (outcome === undefined) ctx.stderr.write(`Pushed to ${target.url}\n`);
    else {
      failures += 1;
      ctx.stderr.write(`${outcome} Nothing local was changed; ${target.fix}.\n`);
    }
  }
  return failures > 0 ? ExitCode.FAILURE : ExitCode.OK;
}

// ---------------------------------------------------------------------------

function render(format: Format, { summary, breakdown }: LoadedSummary, config: Config, ctx: Context): string {
  if (format === 'json') return `${JSON.stringify({ ...summary, alerts: evaluateAlerts(summary, config) }, null, 2)}\n`;
  const families = metricFamilies(summary, breakdown);
  if (format === 'prometheus') return renderPrometheus(families);
  const nowMs = ctx.now().getTime();
  const startMs = summary.since ? Date.parse(summary.since) : (breakdown.firstMs ?? nowMs);
  return `${JSON.stringify(renderOtlp(families, { startMs: Math.min(startMs, nowMs), nowMs, serviceName: 'monorepo-telemetry' }))}\n`;
}

interface PushTarget {
  format: 'prometheus' | 'otlp-json';
  method: 'PUT' | 'POST';
  url: string;
  contentType: string;
  /** What to do when it fails. */
  fix: string;
  server: string;
}

function pushTargets(values: { pushgateway?: string; job?: string; otlp?: string }, config: Config): PushTarget[] {
  const { pushgateway, otlp } = config.telemetry.destinations;
  const fromFlags = values.pushgateway !== undefined || values.otlp !== undefined;
  const gatewayUrl = fromFlags ? values.pushgateway : pushgateway.enabled ? pushgateway.url : undefined;
  const otlpUrl = fromFlags ? values.otlp : otlp.enabled ? otlp.url : undefined;
  const targets: PushTarget[] = [];
  if (gatewayUrl !== undefined) {
    const job = values.job ?? pushgateway.job;
    if (!JOB_NAME.test(job)) throw usageError(`--job: got "${job}", expected ${JOB_NAME_HINT}.`);
    targets.push({
      format: 'prometheus',
      method: 'PUT',
      url: `${checkUrl(gatewayUrl, '--pushgateway').replace(/\/+$/, '')}/metrics/job/${job}`,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      fix: 'check that the Pushgateway runs and its URL (--pushgateway or telemetry.destinations.pushgateway.url)',
      server: 'The Pushgateway',
    });
  }
  if (otlpUrl !== undefined) {
    const base = checkUrl(otlpUrl, '--otlp').replace(/\/+$/, '');
    targets.push({
      format: 'otlp-json',
      method: 'POST',
      url: base.endsWith('/v1/metrics') ? base : `${base}/v1/metrics`,
      contentType: 'application/json',
      fix: 'check that the collector runs and its URL (--otlp or telemetry.destinations.otlp.url)',
      server: 'The OTLP collector',
    });
  }
  if (targets.length === 0) {
    throw usageError('Nowhere to push: give --pushgateway <url> or --otlp <url>, or enable telemetry.destinations.pushgateway or .otlp in the config.');
  }
  return targets;
}

function checkUrl(url: string, option: string): string {
  if (!isHttpUrl(url)) throw usageError(`${option}: expected ${HTTP_URL_HINT}, got "${url}".`);
  return url;
}

/** Sends the body; undefined on success, else one sentence saying what the server answered. */
async function send(target: PushTarget, body: string, timeoutMs: number, ctx: Context): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await ctx.fetch(target.url, { method: target.method, body, headers: { 'content-type': target.contentType }, signal: timeout });
    if (response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const answer = (await response.text()).trim().replace(/\s+/g, ' ').slice(0, 300);
    return `Push to ${target.url} failed: ${target.server} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${answer ? `: ${answer}` : ''}.`;
  } catch (error) {
    const { detail } = classifyFailure(error, { url: target.url, timeoutMs, timedOut: timeout.aborted, interrupted: false });
    return `Push to ${target.url} failed: ${detail}.`;
  }
}

/** The node_exporter textfile collector must never read half a file: write beside it, then rename. */
function writeAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw runtimeError(`Cannot write ${file}: ${describeSystemError(error)}. Nothing was written; check that its directory exists and is writable.`);
  }
}

function failOnUnreadable({ unreadable }: LoadedSummary): void {
  if (unreadable.length === 0) return;
  const files = unreadable.map(({ file, reason }) => `${file} (${reason})`).join(', ');
  throw runtimeError(`Cannot read ${files}: exporting without those lines would publish wrong figures. Fix the file permissions and run again.`);
}

