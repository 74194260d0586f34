/**
 * Where each metric type's lines live, and how daily rotation names files.
 *
 * A stream is one configured log: `build_times` is `.logs/build-metrics.jsonl`.
 * With `rotation: daily`, a stream under the logs directory is written to a
 * dated file beside that name (`.logs/build-metrics.2026-12-03.jsonl`), so no
 * live file is ever renamed. Streams outside the logs directory (the AI token
 * log under `.config/ai/logs/`) are written under their own name and never
 * rotated or deleted.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isInside } from '../shared/paths.ts';
import type { Config } from '../shared/config.ts';

export interface Stream {
  /** The metric type it holds, or `metrics` for every type without its own log. */
  name: string;
  /** The path as written in the config, for messages. */
  configuredPath: string;
  absolutePath: string;
  /** Written to dated files beside `absolutePath`. */
  rotated: boolean;
  /** The metric's own `enabled` switch. */
  enabled: boolean;
}

export interface Streams {
  logsDir: string;
  /** One per configured metric, then the generic stream. */
  all: Stream[];
}

/** The stream every type without its own configured log goes to. */
export const GENERIC_STREAM = 'metrics';

export function resolveStreams(config: Config, cwd: string): Streams {
  const file = config.telemetry.destinations.file;
  const logsDir = resolve(cwd, file.path);
  const stream = (name: string, configuredPath: string, enabled: boolean): Stream => {
    const absolutePath = resolve(cwd, configuredPath);
    return { name, configuredPath, absolutePath, enabled, rotated: file.rotation === 'daily' && isInside(logsDir, absolutePath) };
  };
  const all = Object.entries(config.telemetry.metrics).map(([name, metric]) => stream(name, metric.log_file, metric.enabled));
  all.push(stream(GENERIC_STREAM, join(file.path, `${GENERIC_STREAM}.jsonl`), true));
  return { logsDir, all };
}

/** The stream a type is written to: its own, or the generic one. */
export function streamFor(type: string, streams: Streams): Stream {
  return streams.all.find((s) => s.name === type && s.name !== GENERIC_STREAM) ?? streams.all[streams.all.length - 1]!;
}

/** The file a line logged on `date` goes to. */
export function fileFor(stream: Stream, date: Date): string {
  if (!stream.rotated) return stream.absolutePath;
  const { dir, stem, ext } = nameParts(stream);
  return join(dir, `${stem}.${localDate(date)}${ext}`);
}

/**
 * The date in a rotated file's name, when the name is exactly `<stem>.YYYY-MM-DD<ext>`
 * with a real calendar date; undefined for anything else, so nothing foreign matches.
 */
export function dateInName(stream: Stream, fileName: string): string | undefined {
  const { stem, ext } = nameParts(stream);
  if (!fileName.startsWith(`${stem}.`) || !fileName.endsWith(ext)) return undefined;
  const date = fileName.slice(stem.length + 1, fileName.length - ext.length);
  return isCalendarDate(date) ? date : undefined;
}

/** `YYYY-MM-DD` in the machine's local time zone: a developer's "today". */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local date `days` calendar days before `date`. */
export function daysBefore(date: Date, days: number): string {
  return localDate(new Date(date.getFullYear(), date.getMonth(), date.getDate() - days));
}

// ---------------------------------------------------------------------------

function nameParts(stream: Stream): { dir: string; stem: string; ext: string } {
  const ext = extname(stream.absolutePath);
  return { dir: dirname(stream.absolutePath), stem: basename(stream.absolutePath, ext), ext };
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
