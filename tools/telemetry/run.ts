/**
 * `telemetry run [--type build_times|test_results] [--name <target>] -- <command> [args...]`:
 * runs a build or a test command untouched and records how it went.
 *
 * The command owns the terminal: stdin is inherited, its output passes
 * through as it comes, its exit code is ours. Recording happens after it ends
 * and never changes that exit code, even when the log cannot be written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { parseArguments, printUsage } from '../shared/args.ts';
import { loadConfigAndWarn, type Config } from '../shared/config.ts';
import type { Context, Output } from '../shared/context.ts';
import { CliError, usageError } from '../shared/errors.ts';
import { round } from '../shared/format.ts';
import { formatCommand, maskSecrets } from './command-line.ts';
import { makeEntry, type Fields } from './entry.ts';
import { consoleNotices } from './notices.ts';
import { recordEntry } from './record.ts';
import { TestSummaryScanner, type TestCounts } from './test-summary.ts';

export const RUN_USAGE = `Usage: npm run telemetry -- run [--type build_times|test_results] [--name <target>] -- <command> [args...]

Runs the command as it is (terminal, stdin, colours and exit code untouched) and records
its wall time as build_times (the default), or its test counts as test_results.

  --type <type>    build_times (default) or test_results
  --name <target>  the target to record (default: $npm_package_name, else the command's name)

In package.json:  "build": "tsx tools/telemetry/index.ts run --name web -- tsc -p ."
                  "test": "tsx tools/telemetry/index.ts run --type test_results -- node --test"`;

const TYPES = ['build_times', 'test_results'] as const;
type RunType = (typeof TYPES)[number];

export async function runCommand(args: string[], ctx: Context): Promise<number> {
  const { type, name, help, command } = parseRunArgs(args);
  if (help) return printUsage(ctx.stdout, RUN_USAGE);

  // A broken config must not break the build: say so, run the command anyway, record nothing.
  let config: Config | undefined;
  try {
    config = loadConfigAndWarn(ctx);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    ctx.stderr.write(`${error.message}\nThe command runs, but nothing will be recorded.\n`);
  }

  const started = performance.now();
  const outcome = await execute(command, type === 'test_results', ctx);
  const seconds = round((performance.now() - started) / 1000, 3);
  if (outcome.startError) ctx.stderr.write(`${outcome.startError}\n`);

  if (config) {
    const target = name ?? ctx.env.npm_package_name ?? basename(command[0]!);
    const fields = fieldsFor(type, { seconds, exitCode: outcome.exitCode, counts: outcome.counts, target, command: formatCommand(maskSecrets(command)) });
    try {
      recordEntry(makeEntry(type, fields, ctx.now()), config, ctx, consoleNotices(config, ctx.stderr, ctx.stderr));
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      ctx.stderr.write(`${error.message} (The command's own exit code, ${outcome.exitCode}, is kept.)\n`);
    }
  }
  return outcome.exitCode;
}

/** What is recorded for a run: a pure function of how it went. */
export function fieldsFor(type: RunType, run: { seconds: number; exitCode: number; counts: TestCounts | undefined; target: string; command: string }): Fields {
  const common = { target: run.target, exit_code: run.exitCode, command: run.command };
  if (type === 'build_times') return { value: run.seconds, status: run.exitCode === 0 ? 'ok' : 'fail', ...common };
  // With counts the outcome follows from them, unless the command failed anyway (a crash, a coverage gate).
  const value = run.exitCode !== 0 ? 'fail' : run.counts ? undefined : 'pass';
  return { ...(value ? { value } : {}), ...(run.counts ?? {}), duration: run.seconds, ...common };
}

// ---------------------------------------------------------------------------

interface Outcome {
  exitCode: number;
  counts?: TestCounts;
  /** Set when the command could not be started. */
  startError?: string;
}

function execute(argv: string[], scanOutput: boolean, ctx: Context): Promise<Outcome> {
  const [file, ...args] = argv as [string, ...string[]];
  const env = { ...ctx.env };
  // Piped output makes most runners drop their colours; ask for them when a person is watching.
  if (scanOutput && ctx.stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  const pipe = scanOutput ? 'pipe' : 'inherit';
  const child = spawn(file, args, { cwd: ctx.cwd, env, stdio: ['inherit', pipe, pipe] });

  const scanner = scanOutput ? new TestSummaryScanner() : undefined;
  if (scanner) {
    passThrough(child.stdout!, ctx.stdout, scanner);
    passThrough(child.stderr!, ctx.stderr, scanner);
  }
  const stopForwarding = forwardSignals(child);

  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      stopForwarding();
      resolve(outcome);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const notFound = error.code === 'ENOENT';
      const reason = notFound ? 'command not found (ENOENT); check the name and your PATH' : `${error.code === 'EACCES' ? 'not executable' : error.message} (${error.code}); check its permissions`;
      settle({ exitCode: notFound ? 127 : 126, startError: `Cannot run "${file}": ${reason}.` });
    });
    child.on('close', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      settle({ exitCode, counts: scanner?.result() });
    });
  });
}

/** Writes each chunk on at once, unchanged, and hands complete lines to the scanner. */
function passThrough(from: Readable, to: Output, scanner: TestSummaryScanner): void {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  from.on('data', (chunk: Buffer) => {
    to.write(chunk);
    const lines = (carry + decoder.write(chunk)).split('\n');
    carry = lines.pop()!;
    for (const line of lines) scanner.push(line);
  });
  from.on('end', () => {
    const last = carry + decoder.end();
    if (last !== '') scanner.push(last);
  });
}

/** Passes Ctrl-C and termination on to the command, and lets it decide when to stop. */
function forwardSignals(child: ChildProcess): () => void {
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return () => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  };
}

/**
 * Options come first; the command starts after `--`, or at the first word that
 * is neither an option nor an option's value.
 */
export function parseRunArgs(args: string[]): { type: RunType; name?: string; help: boolean; command: string[] } {
  const firstWord = args.findIndex((arg, i) => arg === '--' || (!arg.startsWith('-') && args[i - 1] !== '--type' && args[i - 1] !== '--name'));
  const split = firstWord === -1 ? args.length : firstWord;
  const command = args[split] === '--' ? args.slice(split + 1) : args.slice(split);
  const { values } = parseArguments(
    { args: args.slice(0, split), options: { type: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } },
    'Run "npm run telemetry -- run --help" for usage.',
  );
  const help = values.help ?? false;
  const type = (values.type ?? 'build_times') as RunType;
  if (!TYPES.includes(type)) throw usageError(`--type: expected build_times or test_results, got "${values.type}".`);
  if (values.name !== undefined && values.name.trim() === '') throw usageError('--name: give the target a name, for example --name web.');
  if (command.length === 0 && !help) throw usageError(`run needs a command to run, after --.\n\n${RUN_USAGE}`);
  return { type, ...(values.name === undefined ? {} : { name: values.name }), help, command };
}
