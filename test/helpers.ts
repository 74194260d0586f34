/**
 * Shared test helpers: temporary projects, an in-memory context, and a way to
 * spawn the real entry scripts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_PATH } from '../tools/shared/config.ts';
import type { Context, Output } from '../tools/shared/context.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The tsx loader, by absolute URL so children started in a temporary directory still find it. */
const TSX = import.meta.resolve('tsx');

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the test process exits. */
export function tempDir(prefix = 'telemetry-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A temporary project root, with `config` as its config file when given. */
export function tempProject(config?: string): string {
  const dir = tempDir();
  if (config !== undefined) writeFile(dir, CONFIG_PATH, config);
  return dir;
}

export function writeFile(root: string, path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export interface MemoryOutput extends Output {
  text: string;
}

export function memoryOutput(isTTY = false): MemoryOutput {
  const output = { text: '', isTTY, write: (chunk: string | Uint8Array) => ((output.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true) };
  return output;
}

export type TestContext = Context & { stdout: MemoryOutput; stderr: MemoryOutput };

/** A context with a fixed clock, an empty environment and in-memory streams. */
export function testContext(cwd: string, overrides: Partial<Omit<Context, 'stdout' | 'stderr'>> = {}): TestContext {
  return {
    cwd,
    env: {},
    now: () => new Date('2026-12-03T12:00:00'),
    fetch: () => Promise.reject(new Error('no network in this test')),
    ...overrides,
    stdout: memoryOutput(),
    stderr: memoryOutput(),
  };
}

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry script (`tools/telemetry/index.ts`, ...) as a real process, as npm would. */
export function runScript(
  script: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string; uid?: number; gid?: number },
): Promise<SpawnResult> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ, ...options.env };
  const child = spawn(process.execPath, ['--import', TSX, join(REPO_ROOT, script), ...args], {
    cwd: options.cwd,
    env,
    stdio: 'pipe',
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
