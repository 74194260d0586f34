/**
 * `util.parseArgs` with its errors turned into usage errors (exit 2), keeping
 * node's own wording, which already teaches ("To specify a positional argument
 * starting with a '-', place it at the end of the command after '--'").
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors.ts';

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
