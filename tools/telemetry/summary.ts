/**
 * Read → aggregate: every configured log file, streamed into one `Summary`.
 * Shared by the dashboard, the `alerts` check and the exporters.
 */
import type { Config } from '../shared/config.ts';
import type { Context } from '../shared/context.ts';
import { parseDuration } from '../shared/duration.ts';
import { describeSystemError, runtimeError, usageError } from '../shared/errors.ts';
import { displayPath } from '../shared/paths.ts';
import { Aggregator, type Summary } from './aggregate.ts';
import type { Breakdown } from './breakdown.ts';
import { listLogFiles, readLineBatches } from './read.ts';
import { resolveStreams } from './streams.ts';

export interface LoadedSummary {
  summary: Summary;
  /** Finer figures for the exporters. */
  breakdown: Breakdown;
  /** Files that exist but could not be read: their lines are missing from the summary. */
  unreadable: { file: string; reason: string }[];
}

export async function loadSummary(config: Config, ctx: Context, since: Date | undefined): Promise<LoadedSummary> {
  const now = ctx.now();
  const streams = resolveStreams(config, ctx.cwd);
  let files;
  try {
    files = listLogFiles(streams, now, config.telemetry.destinations.file.retention_days);
  } catch (error) {
    throw runtimeError(`Cannot list the log files: ${describeSystemError(error)}. Check the permissions of ${displayPath(ctx.cwd, streams.logsDir)}.`);
  }

  const aggregator = new Aggregator({ now, since, config });
  const unreadable: LoadedSummary['unreadable'] = [];
  for (const { stream, path } of files) {
    const shown = displayPath(ctx.cwd, path);
    try {
      for (const lines of readLineBatches(path)) {
        for (const line of lines) {
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            aggregator.skip(shown);
            continue;
          }
          aggregator.add(value, stream.name, shown);
        }
      }
    } catch (error) {
      unreadable.push({ file: shown, reason: describeSystemError(error) });
    }
  }
  return { summary: aggregator.summary(files.map((f) => displayPath(ctx.cwd, f.path))), breakdown: aggregator.breakdown(), unreadable };
}

/**
 * `--since`: a duration back from now (`24h`, `7d`), a local date (`2026-12-01`,
 * from its midnight) or an ISO date-time; undefined when the option is not given.
 */
export function parseSince(text: string | undefined, now: Date): Date | undefined {
  if (text === undefined) return undefined;
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (date.getDate() === Number(day[3])) return date;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(text);
  }
  throw usageError(`--since: ${JSON.stringify(text)} is not a time; use a duration such as 24h or 7d, a date such as 2026-12-01, or an ISO date-time.`);
}
