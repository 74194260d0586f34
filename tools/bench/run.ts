/**
 * `npm run bench`: the performance targets, measured in one run against
 * baselines measured in the same run on the same machine.
 *
 *   dashboard   1M token lines + 1M metric lines: wall time ≤ 1.25× a bare
 *               read-and-JSON.parse loop over the same files; peak memory ≤ 150 MB.
 *   health      20 services, 5 silent, 2000 ms timeout: done within 2.5 s.
 *   huge log    one 1.2 GB token log completes (reading it whole cannot); its
 *               time and peak memory are reported.
 *
 * Options: --lines N (per kind, default 1,000,000), --runs N (default 5),
 * --skip-huge. Exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probe } from '../health/probe.ts';
import { httpServer, json, tcpServer } from '../../test/health-servers.ts';
import { generateProject, tokenLine, writeLines } from './generate.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX = import.meta.resolve('tsx');
const PEAK_RSS = import.meta.resolve('./peak-rss.mjs');

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, 'skip-huge': { type: 'boolean' } },
});
const LINES = Number(values.lines);
const RUNS = Number(values.runs);
const HUGE_BYTES = 1.2e9;

interface Measurement {
  ms: number;
  peakMb: number;
  code: number | null;
  stderr: string;
}

/** Runs node with the peak-memory probe preloaded; stdout is discarded. */
function measure(args: string[], cwd: string): Promise<Measurement> {
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PEAK_RSS, ...args], { cwd, env: { ...process.env, PEAK_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let peakKb = NaN;
      try {
        peakKb = Number(readFileSync(rssFile, 'utf8'));
        rmSync(rssFile);
      } catch {
        // The process died before its exit hook ran: the figure stays NaN.
      }
      resolve({ ms, peakMb: peakKb / 1024, code, stderr });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Result {
  name: string;
  figure: string;
  target: string;
  ok: boolean;
}
const results: Result[] = [];

async function benchDashboard(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'telemetry-bench-'));
  const empty = mkdtempSync(join(tmpdir(), 'telemetry-bench-empty-'));
  try {
    process.stdout.write(`Generating ${fmt(LINES)} token lines and ${fmt(LINES)} metric lines…\n`);
    const { files, bytes } = generateProject(root, LINES, LINES);
    process.stdout.write(`  ${files.length} files, ${fmt(bytes / 1e6, 1)} MB\n`);

    const baseline = () => measure([join(REPO, 'tools/bench/baseline.mjs'), ...files], root);
    const dashboardIn = (cwd: string) => () => measure(['--import', TSX, join(REPO, 'tools/telemetry/index.ts'), 'dashboard'], cwd);
    const dashboard = dashboardIn(root);
    // The same command on a project with no logs: the fixed cost of starting tsx and the CLI.
    const startup = dashboardIn(empty);
    await baseline(); // warm the page cache and tsx's transform cache
    await dashboard();
    const runs: { baseline: Measurement; dashboard: Measurement; startup: Measurement }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so a slow moment of the machine hits every side alike.
      const b = await baseline();
      const d = await dashboard();
      const s = await startup();
      if (b.code !== 0 || d.code !== 0 || s.code !== 0) throw new Error(`a run failed:\n${b.stderr}\n${d.stderr}\n${s.stderr}`);
      runs.push({ baseline: b, dashboard: d, startup: s });
      process.stdout.write(`  run ${i + 1}: baseline ${fmt(b.ms)} ms, ${fmt(b.peakMb)} MB · dashboard ${fmt(d.ms)} ms, ${fmt(d.peakMb)} MB · start-up ${fmt(s.ms)} ms\n`);
    }
    const baseMs = median(runs.map((r) => r.baseline.ms));
    const dashMs = median(runs.map((r) => r.dashboard.ms));
    const startMs = median(runs.map((r) => r.startup.ms));
    const basePeak = Math.max(...runs.map((r) => r.baseline.peakMb));
    const dashPeak = Math.max(...runs.map((r) => r.dashboard.peakMb));
    const ratio = dashMs / baseMs;
    results.push({ name: 'dashboard wall time / bare loop', figure: `${fmt(ratio, 2)}× (${fmt(dashMs)} ms vs ${fmt(baseMs)} ms, medians of ${RUNS})`, target: '≤ 1.25×', ok: ratio <= 1.25 });
    results.push({ name: '  of which start-up (tsx and the CLI, no logs)', figure: `${fmt(startMs)} ms; without it ${fmt((dashMs - startMs) / baseMs, 2)}×`, target: '(information)', ok: true });
    results.push({ name: 'dashboard peak memory', figure: `${fmt(dashPeak)} MB (bare loop ${fmt(basePeak)} MB, ${fmt(dashPeak / basePeak, 2)}×)`, target: '≤ 150 MB', ok: dashPeak <= 150 });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

async function benchHugeLog(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'telemetry-bench-huge-'));
  try {
    const file = join(root, '.config/ai/logs/token-usage.jsonl');
    const averageBytes = Array.from({ length: 1000 }, (_, i) => tokenLine(i, 1000).length + 1).reduce((a, b) => a + b) / 1000;
    const count = Math.ceil(HUGE_BYTES / averageBytes);
    process.stdout.write(`Generating one token log of ${fmt(count)} lines…\n`);
    const bytes = writeLines(file, count, (i) => tokenLine(i, count));
    process.stdout.write(`  ${fmt(bytes / 1e9, 2)} GB\n`);

    // The handoff's dashboard read the log whole; show what that does at this size.
    const whole = await measure(['-e', `require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8')`], root);
    const wholeFailure = whole.stderr.match(/Error: (.*)/)?.[1] ?? `exit ${whole.code}`;
    const dashboard = await measure(['--import', TSX, join(REPO, 'tools/telemetry/index.ts'), 'dashboard'], root);
    const ok = dashboard.code === 0;
    results.push({
      name: `dashboard on one ${fmt(bytes / 1e9, 2)} GB log`,
      figure: `exit ${dashboard.code}, ${fmt(dashboard.ms / 1000, 1)} s, ${fmt(dashboard.peakMb)} MB peak (reading it whole: ${whole.code === 0 ? 'worked' : `fails, "${wholeFailure}"`})`,
      target: 'completes',
      ok,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * 20 services, 5 of which accept and never answer, 2000 ms timeout: the whole
 * `npm run health` process (start-up included) against the same probes one after another.
 */
async function benchHealth(): Promise<void> {
  const timeoutMs = 2000;
  const healthy = await Promise.all(Array.from({ length: 15 }, () => httpServer(json(200, { status: 'UP' }))));
  const silent = await Promise.all(Array.from({ length: 5 }, () => tcpServer(() => {})));
  const root = mkdtempSync(join(tmpdir(), 'telemetry-bench-health-'));
  try {
    const services = [...healthy, ...silent].map((server, i) => ({ name: `service-${i + 1}`, url: server.url }));
    mkdirSync(join(root, '.config/telemetry'), { recursive: true });
    writeFileSync(join(root, '.config/telemetry/config.yaml'), `health:\n  timeout_ms: ${timeoutMs}\n  services:\n${services.map((s) => `    - { name: ${s.name}, url: "${s.url}" }`).join('\n')}\n`);
    process.stdout.write('Probing 20 services, 5 of which never answer…\n');
    const concurrent = await measure(['--import', TSX, join(REPO, 'tools/health/check.ts'), '--json'], root);
    if (concurrent.code !== 1) throw new Error(`expected exit 1 (five services down), got ${concurrent.code}:\n${concurrent.stderr}`);
    const started = performance.now();
    for (const s of services) await probe({ ...s, timeoutMs, optional: false }, fetch);
    const sequentialMs = performance.now() - started;
    results.push({
      name: 'health, 20 services (5 silent), 2000 ms timeout',
      figure: `${fmt(concurrent.ms)} ms for the whole process (one after another: ${fmt(sequentialMs)} ms, ${fmt(sequentialMs / concurrent.ms, 1)}× longer)`,
      target: '≤ 2,500 ms',
      ok: concurrent.ms <= timeoutMs + 500,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
    await Promise.all([...healthy, ...silent].map((s) => s.close()));
  }
}

await benchHealth();
await benchDashboard();
if (!values['skip-huge']) await benchHugeLog();

process.stdout.write('\n| Measure | Result | Target | Met |\n|---|---|---|---|\n');
for (const r of results) process.stdout.write(`| ${r.name} | ${r.figure} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
