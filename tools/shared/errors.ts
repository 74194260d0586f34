/**
 * Exit codes shared by every command, and the one error class that carries them.
 *
 * Commands never call `process.exit`: they throw a `CliError` (a problem the user
 * can fix) or return a code. Anything else that is thrown is a bug, and only the
 * entry script lets it escape with its stack trace.
 */

export const ExitCode = {
  /** Everything worked and every check passed. */
  OK: 0,
  /** A check failed (an alert fired, a service is down) or the work itself failed. */
  FAILURE: 1,
  /** The command line or the config is wrong: nothing was attempted. */
  USAGE: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad arguments or bad config: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.USAGE);
}

/** The work could not be done (a file could not be written, a push was refused): exit code 1. */
export function runtimeError(message: string): CliError {
  return new CliError(message, ExitCode.FAILURE);
}

/**
 * Prints a `CliError` on stderr and returns its exit code; rethrows anything else,
 * because an unexpected error is a bug whose stack trace we want to see.
 */
export function reportCliError(error: unknown, stderr: { write(text: string): unknown }): ExitCode {
  if (!(error instanceof CliError)) throw error;
  stderr.write(`${error.message}\n`);
  return error.exitCode;
}

/** A short, human name for a Node system error code, for messages such as "cannot write x: disk full (ENOSPC)". */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent of that path is not a directory',
    EROFS: 'the file system is read-only',
    ENOENT: 'no such file or directory',
    EMFILE: 'too many open files',
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
