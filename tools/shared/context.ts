/**
 * Everything a command needs from the outside world, passed in rather than
 * reached for: tests hand in a temporary directory, a fixed clock, a fake
 * environment and string-collecting streams, and never touch `process`.
 */

export interface Output {
  write(chunk: string | Uint8Array): unknown;
  /** True when the stream is a terminal; decides colour and redrawing. */
  isTTY?: boolean;
}

export interface Context {
  /** The monorepo root: config and log paths are relative to it. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  stdout: Output;
  stderr: Output;
  fetch: typeof globalThis.fetch;
  /** Aborted when the user interrupts (Ctrl-C); only long-running commands watch it. */
  signal?: AbortSignal;
}

/** The real world, for the entry scripts. */
export function processContext(): Context {
  return {
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
    fetch: globalThis.fetch,
  };
}

/**
 * `telemetry dashboard | head` closes the pipe early; that is the reader's
 * choice, not a failure worth a stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
