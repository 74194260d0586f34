/**
 * Debian's real Prometheus and Pushgateway, started for a test on 127.0.0.1
 * with free ports and temporary data directories, and stopped afterwards.
 *
 * Without the binaries the tests that need them are skipped, unless
 * TELEMETRY_REQUIRE_PROMETHEUS=1 (as in .ci/run), where that is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from './helpers.ts';

export interface Started {
  url: string;
  stop(): Promise<void>;
}

/** True when `binary` runs; otherwise skips the test, or fails it where the binaries are required. */
export function requireBinary(t: TestContext, binary: string): boolean {
  const found = spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  const message = `${binary} is not installed (Debian packages prometheus and prometheus-pushgateway; .ci/run installs them)`;
  if (process.env.TELEMETRY_REQUIRE_PROMETHEUS === '1') throw new Error(message);
  t.skip(message);
  return false;
}

export async function startPushgateway(): Promise<Started> {
  const port = await freePort();
  return start('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`], `http://127.0.0.1:${port}`);
}

/** A Prometheus that scrapes `target` (host:port) every second, keeping the pushed job labels. */
export async function startPrometheus(target: string): Promise<Started> {
  const port = await freePort();
  const dir = tempDir('telemetry-prometheus-');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['${target}']\n`);
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
  return start('prometheus', args, `http://127.0.0.1:${port}`);
}

/** Runs a PromQL instant query; the value of each series, by its labels. */
export async function query(prometheus: string, promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(body)}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Polls until `check` returns something, or gives up after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await check().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`gave up after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---------------------------------------------------------------------------

async function start(binary: string, args: string[], url: string): Promise<Started> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await eventually(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 20_000);
  } catch {
    child.kill('SIGKILL');
    throw new Error(`${binary} did not become ready at ${url}:\n${log}`);
  }
  return { url, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
