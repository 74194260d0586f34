/**
 * Reading logs: which files hold a stream's lines, and their lines, streamed.
 *
 * Logs grow without bound and V8 refuses strings above about 512 MB, so a file
 * is never read into one string: it is read in 64 KB chunks and handed on as
 * batches of complete lines.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { dateInName, daysBefore, type Stream, type Streams } from './streams.ts';

export interface LogFile {
  stream: Stream;
  path: string;
}

/**
 * Every file that holds lines of a stream still within retention: for a rotated
 * stream its dated files (oldest first) and any undated file from before rotation
 * was switched on; otherwise the configured file. Only files that exist.
 */
export function listLogFiles(streams: Streams, today: Date, retentionDays: number): LogFile[] {
  const oldestKept = daysBefore(today, retentionDays);
  const files: LogFile[] = [];
  const listings = new Map<string, string[]>();
  const list = (dir: string) => {
    if (!listings.has(dir)) listings.set(dir, namesIn(dir));
    return listings.get(dir)!;
  };
  for (const stream of streams.all) {
    const dir = dirname(stream.absolutePath);
    const names = list(dir);
    if (names.includes(basename(stream.absolutePath))) files.push({ stream, path: stream.absolutePath });
    if (!stream.rotated) continue;
    const dated = names
      .map((name) => ({ name, date: dateInName(stream, name) }))
      .filter((f): f is { name: string; date: string } => f.date !== undefined && f.date >= oldestKept)
      .sort((a, b) => a.date.localeCompare(b.date));
    for (const { name } of dated) files.push({ stream, path: join(dir, name) });
  }
  return files;
}

/**
 * 64 KB: small enough that each decoded chunk is an ordinary young-generation
 * string, freed by the next minor GC (strings over about 128 KB go to V8's
 * large-object space and pile up until a full GC), large enough that the
 * per-chunk cost is lost in the noise.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Yields the file's lines in batches, one batch per chunk read. A last line
 * without a newline is yielded too (it may be complete, or torn by a writer
 * that is still busy; the parser decides). Blank lines are dropped.
 *
 * Reads are synchronous: a CLI has nothing else to do meanwhile, and skipping
 * a promise per chunk makes the loop measurably faster.
 */
export function* readLineBatches(path: string): Generator<string[]> {
  const fd = openSync(path, 'r');
  try {
    // One buffer, reused for every read: no allocation per chunk.
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (let bytesRead = readSync(fd, buffer); bytesRead > 0; bytesRead = readSync(fd, buffer)) {
      const text = carry + decoder.write(buffer.subarray(0, bytesRead));
      const lines: string[] = [];
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        if (end > start) lines.push(text.slice(start, end));
        start = end + 1;
      }
      carry = text.slice(start);
      if (lines.length > 0) yield lines;
    }
    const last = carry + decoder.end();
    if (last.trim() !== '') yield [last];
  } finally {
    closeSync(fd);
  }
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}
