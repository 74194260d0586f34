/**
 * `telemetry dashboard` (also `show`): the summary on the console or as JSON.
 * `telemetry alerts` (also `check`): exit 1 when an alert fires, for CI gates.
 */
import { parseArguments, printUsage } from '../shared/args.ts';
import { colorEnabled, painter } from '../shared/color.ts';
import { loadConfigAndWarn } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { ExitCode } from '../shared/errors.ts';
import { annotate, emitAlerts, evaluateAlerts, noAlertsMessage } from './alerts.ts';
import { renderDashboard } from './render.ts';
import { loadSummary, parseSince, type LoadedSummary } from './summary.ts';

export const DASHBOARD_USAGE = `Usage: npm run telemetry:dashboard [-- --json] [-- --since <when>]

  --json           print the summary as one JSON object (schema in README.md)
  --since <when>   only entries at or after: 24h, 7d, 2026-12-01 or an ISO date-time`;

export const ALERTS_USAGE = `Usage: npm run telemetry alerts [-- --json] [-- --since <when>]

Exits 1 when an alert fires (token budget, slow builds), 0 otherwise.`;

const OPTIONS = {
  json: { type: 'boolean' },
  since: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function dashboardCommand(args: string[], ctx: Context): Promise<ExitCode> {
  const { values } = parseArguments({ args, options: OPTIONS }, 'Run "npm run telemetry:dashboard -- --help" for usage.');
  if (values.help) return printUsage(ctx.stdout, DASHBOARD_USAGE);
  const now = ctx.now();
  const since = parseSince(values.since, now);
  const config = loadConfigAndWarn(ctx);

  const loaded = await loadSummary(config, ctx, since);
  const alerts = evaluateAlerts(loaded.summary, config);
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify({ ...loaded.summary, alerts }, null, 2)}\n`);
  } else {
    const paint = painter(colorEnabled(ctx.env, ctx.stdout));
    ctx.stdout.write(renderDashboard(loaded.summary, alerts, { paint, now }));
  }
  // On a terminal the dashboard's own alert section is the console warning;
  // when stdout goes to a file, a pipe or CI, say it on stderr too.
  if (!ctx.stdout.isTTY || values.json) emitAlerts(alerts, config, ctx);
  return reportUnreadable(loaded, ctx) ?? ExitCode.OK;
}

export async function alertsCommand(args: string[], ctx: Context): Promise<ExitCode> {
  const { values } = parseArguments({ args, options: OPTIONS }, 'Run "npm run telemetry alerts -- --help" for usage.');
  if (values.help) return printUsage(ctx.stdout, ALERTS_USAGE);
  const since = parseSince(values.since, ctx.now());
  const config = loadConfigAndWarn(ctx);

  const loaded = await loadSummary(config, ctx, since);
  const alerts = evaluateAlerts(loaded.summary, config);
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify({ alerts }, null, 2)}\n`);
  } else if (alerts.length === 0) {
    ctx.stdout.write(`✅ ${noAlertsMessage(loaded.summary)}\n`);
  } else {
    for (const alert of alerts) ctx.stdout.write(`🚨 ${alert.name}: ${alert.message}\n`);
  }
  annotate(alerts, config, ctx);
  return reportUnreadable(loaded, ctx) ?? (alerts.length > 0 ? ExitCode.FAILURE : ExitCode.OK);
}

// ---------------------------------------------------------------------------

/** Figures that miss a file are not the whole truth: say which, and fail. */
function reportUnreadable({ unreadable }: LoadedSummary, ctx: Context): ExitCode | undefined {
  for (const { file, reason } of unreadable) {
    ctx.stderr.write(`Cannot read ${file}: ${reason}; its lines are missing from these figures. Fix its permissions and run again.\n`);
  }
  return unreadable.length > 0 ? ExitCode.FAILURE : undefined;
}
