/**
 * Alerts: a budget that was exceeded, and how to tell the developer.
 *
 * Deciding (pure functions that return `Alert`s) is kept apart from telling
 * (`emitAlerts`), so the dashboard, the `alerts` command and `log` share both.
 */
import type { Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { formatDuration } from '../shared/duration.ts';
import { formatCount, formatLocalTime, formatPercent, formatSeconds } from '../shared/format.ts';
import type { Summary } from './aggregate.ts';

export type AlertName = keyof Config['telemetry']['alerts'];

export interface Alert {
  name: AlertName;
  message: string;
  /** The measured figure (tokens, seconds) and the limit it went over. */
  value: number;
  threshold: number;
}

/** Every alert that fires for this summary, in config order. */
export function evaluateAlerts(summary: Summary, config: Config): Alert[] {
  const alerts: Alert[] = [];
  const { used, threshold, window } = summary.tokens.budget;
  if (used > threshold) {
    const span = window === null ? 'in all logs' : `in the last ${formatDuration(window)}`;
    const share = formatPercent(used / threshold);
    alerts.push({ name: 'token_budget_exceeded', message: `${formatCount(used)} tokens ${span}, over the ${formatCount(threshold)} budget (${share})`, value: used, threshold });
  }
  const builds = summary.builds;
  if (builds.overThreshold > 0) {
    const limit = config.telemetry.alerts.build_time_exceeded.threshold_seconds;
    const count = builds.overThreshold === 1 ? '1 build' : `${formatCount(builds.overThreshold)} builds`;
    const worst = builds.worst.map((b) => `${b.target ?? '(no target)'} ${formatSeconds(b.seconds)}${b.timestamp ? ` (${formatLocalTime(new Date(b.timestamp))})` : ''}`);
    alerts.push({ name: 'build_time_exceeded', message: `${count} over the ${limit} s threshold; slowest: ${worst.join(', ')}`, value: builds.max ?? 0, threshold: limit });
  }
  return alerts;
}

/** The calm line, when no alert fires. */
export function noAlertsMessage(summary: Summary): string {
  return `No alerts: tokens at ${summary.tokens.budget.percent}% of budget, no build over ${summary.builds.threshold} s.`;
}

/** A build slower than `build_time_exceeded.threshold_seconds`, or undefined. */
export function slowBuildAlert(seconds: number, target: string | undefined, config: Config): Alert | undefined {
  const threshold = config.telemetry.alerts.build_time_exceeded.threshold_seconds;
  if (!(seconds > threshold)) return undefined;
  const what = target === undefined ? 'a build' : `build "${target}"`;
  return { name: 'build_time_exceeded', message: `${what} took ${formatSeconds(seconds)}, over the ${threshold} s threshold`, value: seconds, threshold };
}

/**
 * Tells each alert on its configured channel. `console` is a warning line on
 * stderr and, under GitHub Actions, an annotation on the run as well; `none`
 * keeps it quiet (the `alerts` command and `--json` still report it).
 */
export function emitAlerts(alerts: Alert[], config: Config, ctx: Pick<Context, 'env' | 'stderr'>): void {
  for (const alert of onConsole(alerts, config)) ctx.stderr.write(`🚨 ${alert.name}: ${alert.message}\n`);
  annotate(alerts, config, ctx);
}

/** Under GitHub Actions, `::warning` lines that the runner shows as annotations on the run. */
export function annotate(alerts: Alert[], config: Config, ctx: Pick<Context, 'env' | 'stderr'>): void {
  if (ctx.env.GITHUB_ACTIONS !== 'true') return;
  for (const alert of onConsole(alerts, config)) {
    ctx.stderr.write(`::warning title=${escapeProperty(alert.name)}::${escapeData(alert.message)}\n`);
  }
}

function onConsole(alerts: Alert[], config: Config): Alert[] {
  return alerts.filter((alert) => config.telemetry.alerts[alert.name].channel === 'console');
}

// ---------------------------------------------------------------------------
// GitHub workflow commands end at a newline and split on `::`, so both parts are escaped.

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
