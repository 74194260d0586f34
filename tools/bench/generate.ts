/**
 * Synthetic logs for the benchmark: realistic line shapes and sizes, written
 * in 4 MB blocks so generating 235 MB takes seconds, not minutes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localDate } from '../telemetry/streams.ts';

const BLOCK_CHARS = 4 << 20;

/** Writes `count` lines made by `line(i)` to `file`; returns the bytes written. */
export function writeLines(file: string, count: number, line: (i: number) => string): number {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  let bytes = 0;
  let block = '';
  for (let i = 0; i < count; i++) {
    block += `${line(i)}\n`;
    if (block.length >= BLOCK_CHARS) {
      bytes += writeSync(fd, block);
      block = '';
    }
  }
  bytes += writeSync(fd, block);
  closeSync(fd);
  return bytes;
}

const MODELS = ['claude-sonnet-4', 'gpt-4o', 'gemini-2.5-pro', 'claude-haiku-4', 'gpt-4o-mini'];
const TARGETS = ['web', 'api', 'worker', 'docs', 'cli', 'shared'];
const DAY_MS = 86_400_000;
const DAYS = 30;
/** Lines spread over the 30 days up to today, so all of them are within the default retention. */
const START = Date.now() - (DAYS - 1) * DAY_MS;

function timestamp(i: number, count: number): string {
  return new Date(START + Math.floor((i / count) * (DAYS - 1) * DAY_MS)).toISOString();
}

/** One token-log line in one of the shapes tools write (see REFERENCE.md). */
export function tokenLine(i: number, count: number): string {
  const ts = timestamp(i, count);
  const model = MODELS[i % MODELS.length];
  const n = 100 + ((i * 7919) % 5000);
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return JSON.stringify({ timestamp: ts, type: 'ai_tokens', tokens: n, data: { value: n, model } });
    case 5:
    case 6:
      return JSON.stringify({ timestamp: ts, model, input_tokens: 2, output_tokens: n, cache_creation_tokens: 79, cache_read_tokens: 133, cost_usd: 0.0123 });
    case 7: {
      // Transcripts repeat a response's usage on each content block: every other response appears twice.
      const response = Math.floor(i / 20);
      const id = `msg_${response}`;
      return JSON.stringify({ type: 'assistant', timestamp: ts, requestId: `req_${response}`, message: { id, model: MODELS[response % MODELS.length], usage: { input_tokens: 4, output_tokens: 90 } } });
    }
    case 8:
      return JSON.stringify({ timestamp: ts, model, usage: { prompt_tokens: n, completion_tokens: 10, total_tokens: n + 10 } });
    default:
      return JSON.stringify({ timestamp: ts, usageMetadata: { promptTokenCount: n, candidatesTokenCount: 50, totalTokenCount: n + 50 } });
  }
}

/** One line of the build, test or generic stream, as `telemetry log` writes them. */
export function metricLine(kind: 'build' | 'test' | 'generic', i: number, count: number): string {
  const ts = timestamp(i, count);
  if (kind === 'build') return JSON.stringify({ timestamp: ts, type: 'build_times', data: { value: 5 + ((i * 31) % 400) / 1.7, target: TARGETS[i % TARGETS.length] } });
  if (kind === 'test') return JSON.stringify({ timestamp: ts, type: 'test_results', data: { passed: 100 + (i % 50), failed: i % 17 === 0 ? 2 : 0, skipped: 3, duration: 12.5 } });
  return JSON.stringify({ timestamp: ts, type: i % 2 === 0 ? 'deploy' : 'lint', data: { value: 'ok' } });
}

/**
 * A project with `tokenLines` token lines and `metricLines` metric lines spread
 * over 30 daily files per stream. Returns the files and their total size.
 */
export function generateProject(root: string, tokenLines: number, metricLines: number): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const tokenLog = join(root, '.config/ai/logs/token-usage.jsonl');
  bytes += writeLines(tokenLog, tokenLines, (i) => tokenLine(i, tokenLines));
  files.push(tokenLog);

  const streams = [['build', 'build-metrics'], ['test', 'test-metrics'], ['generic', 'metrics']] as const;
  const perFile = Math.ceil(metricLines / (DAYS * streams.length));
  let written = 0;
  for (let day = 0; day < DAYS; day++) {
    const date = localDate(new Date(START + day * DAY_MS));
    for (const [kind, name] of streams) {
      const count = Math.min(perFile, metricLines - written);
      if (count <= 0) continue;
      const file = join(root, `.logs/${name}.${date}.jsonl`);
      bytes += writeLines(file, count, (i) => metricLine(kind, day * perFile + i, perFile * DAYS));
      files.push(file);
      written += count;
    }
  }
  return { files, bytes };
}
