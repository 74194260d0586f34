/**
 * Recording one entry: the path every line takes from `log` (and `run`) to disk.
 *
 * Opt-outs are checked first, then the line is appended to its stream's file
 * for today, retention runs if this was the day's first line, and a slow
 * build raises its alert at once.
 */
import type { Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { describeSystemError, runtimeError } from '../shared/errors.ts';
import { displayPath } from '../shared/paths.ts';
import { emitAlerts, slowBuildAlert } from './alerts.ts';
import type { MetricEntry } from './entry.ts';
import type { Notices } from './notices.ts';
import { appendLine, sweepRetention } from './store.ts';
import { fileFor, GENERIC_STREAM, resolveStreams, streamFor } from './streams.ts';

export type RecordOutcome = { written: true; file: string } | { written: false; reason: string };

/** Writes the entry, or explains why it was not written. Throws a runtime error (exit 1) when the file cannot be written. */
export function recordEntry(entry: MetricEntry, config: Config, ctx: Context, notices: Notices): RecordOutcome {
  const streams = resolveStreams(config, ctx.cwd);
  const stream = streamFor(entry.type, streams);
  const reason = whyNotRecorded(entry.type, stream.enabled, config, ctx.env);
  if (reason) {
    notices.info(`Not logged: ${reason}.`);
    return { written: false, reason };
  }

  const now = ctx.now();
  const file = fileFor(stream, now);
  const shown = displayPath(ctx.cwd, file);
  let created: boolean;
  try {
    ({ created } = appendLine(file, JSON.stringify(entry)));
  } catch (error) {
    const setting = stream.name === GENERIC_STREAM ? 'telemetry.destinations.file.path' : `telemetry.metrics.${stream.name}.log_file`;
    throw runtimeError(`Cannot write ${shown}: ${describeSystemError(error)}. Nothing was logged; make that path writable or change ${setting} in the config.`);
  }

  if (created && stream.rotated) {
    const { failures } = sweepRetention(streams, now, config.telemetry.destinations.file.retention_days);
    for (const { file: stale, error } of failures) {
      notices.warn(`Retention could not delete ${displayPath(ctx.cwd, stale)}: ${describeSystemError(error)}; it will be tried again tomorrow.`);
    }
  }

  notices.info(`📊 Logged: ${entry.type}`);
  notices.debug(`   → ${shown}`);
  if (entry.type === 'build_times' && typeof entry.data.value === 'number') {
    const target = entry.data.target === undefined ? undefined : String(entry.data.target);
    const alert = slowBuildAlert(entry.data.value, target, config);
    if (alert) emitAlerts([alert], config, ctx);
  }
  return { written: true, file };
}

/** The opt-outs, most general first; undefined when the entry should be written. */
export function whyNotRecorded(type: string, metricEnabled: boolean, config: Config, env: Context['env']): string | undefined {
  const doNotTrack = env.DO_NOT_TRACK;
  if (doNotTrack !== undefined && doNotTrack !== '' && doNotTrack !== '0' && doNotTrack.toLowerCase() !== 'false') {
    return 'DO_NOT_TRACK is set';
  }
  if (!config.telemetry.enabled) return 'telemetry is disabled (telemetry.enabled: false)';
  if (!config.telemetry.destinations.file.enabled) return 'the file destination is disabled (telemetry.destinations.file.enabled: false)';
  if (!metricEnabled) return `the ${type} metric is disabled (telemetry.metrics.${type}.enabled: false)`;
  return undefined;
}
