/**
 * `util.parseArgs` with its errors turned into usage errors (exit 2), keeping
 * node's own wording, which already teaches ("To specify a positional argument
 * starting with a '-', place it at the end of the command after '--'").
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Output } from './context.ts';
import { ExitCode, usageError } from './errors.ts';

export function parseArguments<const T extends ParseArgsConfig>(config: T, usageHint: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config); // strict by default: unknown options are errors
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw usageError(`${(error as Error).message}\n${usageHint}`);
    }
    throw error;
  }
}

/** `--help`: the usage text on stdout, and success. */
export function printUsage(stdout: Output, usage: string): ExitCode {
  stdout.write(`${usage}\n`);
  return ExitCode.OK;
}

/** A `--timeout`-style option: whole milliseconds from 1 to 600000, or `fallback` when not given. */
export function parseMilliseconds<T extends number | undefined>(option: string, text: string | undefined, fallback: T): number | T {
  if (text === undefined) return fallback;
  const ms = Number(text);
  if (!(Number.isInteger(ms) && ms >= 1 && ms <= 600_000)) throw usageError(`${option}: expected a whole number of milliseconds from 1 to 600000, got "${text}".`);
  return ms;
}
