/**
 * Alerts: a budget that was exceeded, and how to tell the developer.
 *
 * Deciding (pure functions that return `Alert`s) is kept apart from telling
 * (`emitAlerts`), so the dashboard, the `alerts` command and `log` share both.
 */
import type { Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';

export type AlertName = keyof Config['telemetry']['alerts'];

export interface Alert {
  name: AlertName;
  message: string;
  /** The measured figure (tokens, seconds) and the limit it went over. */
  value: number;
  threshold: number;
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
  for (const alert of alerts) {
    if (config.telemetry.alerts[alert.name].channel !== 'console') continue;
    ctx.stderr.write(`🚨 ${alert.name}: ${alert.message}\n`);
    if (ctx.env.GITHUB_ACTIONS === 'true') {
      ctx.stderr.write(`::warning title=${escapeProperty(alert.name)}::${escapeData(alert.message)}\n`);
    }
  }
}

export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(1))} s`;
}

// ---------------------------------------------------------------------------
// GitHub workflow commands end at a newline and split on `::`, so both parts are escaped.

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
