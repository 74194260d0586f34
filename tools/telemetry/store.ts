/**
 * Appending lines and enforcing retention: the only code that writes or deletes log files.
 *
 * Many processes append to the same file at once (parallel builds, CI jobs),
 * so each line is one `write()` on a file opened with O_APPEND: the kernel
 * places each write whole at the end, and no line is lost or merged. Nothing
 * is buffered, so a process that exits right after logging loses nothing.
 */
import { closeSync, type Dirent, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInside } from '../shared/paths.ts';
import { dateInName, daysBefore, type Stream, type Streams } from './streams.ts';

export interface AppendResult {
  /** True when this call created the file: the first line of a new day. */
  created: boolean;
}

/** Appends one line (the newline is added here) with a single write. Throws the system error on failure. */
export function appendLine(file: string, line: string): AppendResult {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  makeDirectory(dirname(file));
  const { fd, created } = openForAppend(file);
  try {
    const written = writeSync(fd, bytes);
    if (written !== bytes.length) {
      // Only a full disk or a size limit cuts a write short. End the fragment with a
      // newline so the next writer's line is not glued to it (readers skip the fragment).
      try {
        writeSync(fd, '\n');
      } catch {
        // Best effort: the disk is full, and the error below says so.
      }
      throw Object.assign(new Error(`only ${written} of ${bytes.length} bytes were written`), { code: 'ENOSPC' });
    }
  } finally {
    closeSync(fd);
  }
  return { created };
}

export interface RetentionResult {
  deleted: string[];
  /** Files that could not be deleted, with the reason: worth a warning, not a failure. */
  failures: { file: string; error: unknown }[];
}

/**
 * Deletes rotated files whose date in the name is more than `retentionDays`
 * days before `today`. Only regular files whose whole name is a stream's dated
 * name are candidates: symlinks, other files and anything outside the logs
 * directory are never touched. A file already gone counts as deleted.
 */
export function sweepRetention(streams: Streams, today: Date, retentionDays: number): RetentionResult {
  const oldestKept = daysBefore(today, retentionDays);
  const result: RetentionResult = { deleted: [], failures: [] };
  for (const [dir, dirStreams] of groupByDirectory(streams.all.filter((s) => s.rotated))) {
    // Belt and braces: only streams inside the logs directory are rotated in the first place.
    if (dir !== streams.logsDir && !isInside(streams.logsDir, dir)) continue;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') result.failures.push({ file: dir, error });
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue; // a Dirent describes the link itself, so symlinks are skipped here
      const expired = dirStreams.some((stream) => {
        const date = dateInName(stream, entry.name);
        return date !== undefined && date < oldestKept;
      });
      if (!expired) continue;
      const file = join(dir, entry.name);
      try {
        unlinkSync(file);
        result.deleted.push(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') result.deleted.push(file); // another process got there first
        else result.failures.push({ file, error });
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------

/** `mkdir -p`, reporting a file in the way as ENOTDIR (node says EEXIST, which misleads). */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw Object.assign(new Error(`a parent of ${dir} is a file`), { code: 'ENOTDIR' });
  }
}

/** Opens with O_EXCL first, so exactly one process learns that it created the day's file. */
function openForAppend(file: string): { fd: number; created: boolean } {
  try {
    return { fd: openSync(file, 'ax'), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { fd: openSync(file, 'a'), created: false };
  }
}

function groupByDirectory(streams: Stream[]): Map<string, Stream[]> {
  const groups = new Map<string, Stream[]>();
  for (const stream of streams) {
    const dir = dirname(stream.absolutePath);
    groups.set(dir, [...(groups.get(dir) ?? []), stream]);
  }
  return groups;
}
