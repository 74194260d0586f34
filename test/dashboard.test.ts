import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { colorEnabled } from '../tools/shared/color.ts';
import { formatLocalTime } from '../tools/shared/format.ts';
import { main } from '../tools/telemetry/cli.ts';
import { runScript, tempProject, testContext, writeFile } from './helpers.ts';

const NOW = new Date(2026, 11, 3, 12, 0, 0);
const TODAY = '2026-12-03';
const iso = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();

/** A project with a bit of everything, including lines the dashboard must skip. */
function sampleProject(config?: string): string {
  const root = tempProject(config);
  writeFile(
    root,
    '.config/ai/logs/token-usage.jsonl',
    [
      JSON.stringify({ timestamp: iso(1), type: 'ai_tokens', tokens: 1_200_000, data: { value: 1_200_000, model: 'claude', input: 1_000_000, output: 200_000, cost_usd: 3.5 } }),
      JSON.stringify({ timestamp: iso(30), model: 'gpt-4o', usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } }),
      '{"timestamp": "broken',
      '',
    ].join('\n'),
  );
  writeFile(
    root,
    `.logs/build-metrics.${TODAY}.jsonl`,
    [
      JSON.stringify({ timestamp: iso(2), type: 'build_times', data: { value: 42, target: 'web' } }),
      JSON.stringify({ timestamp: iso(1), type: 'build_times', data: { value: 420, target: 'api' } }),
      '',
    ].join('\n'),
  );
  writeFile(root, `.logs/test-metrics.${TODAY}.jsonl`, `${JSON.stringify({ timestamp: iso(3), type: 'test_results', data: { passed: 10, failed: 1 } })}\n`);
  writeFile(root, `.logs/metrics.${TODAY}.jsonl`, `${JSON.stringify({ timestamp: iso(3), type: 'deploy', data: { value: 'ok' } })}\n[1,2]\n`);
  return root;
}

async function dashboard(root: string, args: string[] = [], env: Record<string, string> = {}) {
  const ctx = testContext(root, { now: () => NOW, env });
  const code = await main(['dashboard', ...args], ctx);
  return { code, stdout: ctx.stdout.text, stderr: ctx.stderr.text };
}

describe('dashboard: console', () => {
  it('shows each section with the handoff lines', async () => {
    const { code, stdout } = await dashboard(sampleProject());
    assert.equal(code, 0);
    for (const line of [
      '🤖 AI Tokens Used: 1,200,150',
      '   input 1,000,100 · output 200,050 · cache read 0 · cache write 0',
      '   cost $3.50',
      '   top models: claude 1,200,000 (100%), gpt-4o 150 (0%)',
      '🏗️ Builds: 2',
      '   last: api 420 s, 1 h ago',
      '   p50 42 s · p95 420 s · max 420 s',
      '🧪 Tests: 1 run, 1 failed (0% passed)',
      '   tests: 10 passed, 1 failed, 0 skipped',
      '   last failure: ' + formatLocalTime(new Date(iso(3))) + ' (1 failed)',
      '📈 Total Metrics Logged: 6',
      '   ⚠️ skipped 2 unreadable lines (bad JSON or values): .config/ai/logs/token-usage.jsonl (1), .logs/metrics.2026-12-03.jsonl (1)',
      '🚨 Alerts',
      '   token_budget_exceeded: 1,200,150 tokens in all logs, over the 100,000 budget (1200.2%)',
    ]) {
      assert.ok(stdout.includes(`${line}\n`), `missing line: ${line}\n---\n${stdout}`);
    }
    assert.doesNotMatch(stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });

  it('with no logs, shows how to log a first metric', async () => {
    const { code, stdout } = await dashboard(tempProject());
    assert.equal(code, 0);
    assert.match(stdout, /No metrics yet\. Log a first one:\n\n {2}npm run telemetry log build_times 42 target=web\n/);
  });

  it('says calmly when no alert fires', async () => {
    const root = tempProject();
    writeFile(root, `.logs/build-metrics.${TODAY}.jsonl`, `${JSON.stringify({ timestamp: iso(1), type: 'build_times', data: { value: 3 } })}\n`);
    const { stdout, stderr } = await dashboard(root);
    assert.match(stdout, /✅ No alerts: tokens at 0% of budget, no build over 300 s\./);
    assert.equal(stderr, '');
  });

  it('when stdout is not a terminal, alerts also go to stderr (and to GitHub as annotations)', async () => {
    const { stderr } = await dashboard(sampleProject(), [], { GITHUB_ACTIONS: 'true' });
    assert.match(stderr, /^🚨 token_budget_exceeded: .*\n🚨 build_time_exceeded: 1 build over the 300 s threshold; slowest: api 420 s/);
    assert.match(stderr, /^::warning title=token_budget_exceeded::1,200,150 tokens/m);
  });

  it('reads the dated files still within retention, and no others', async () => {
    const root = tempProject();
    const line = (seconds: number) => `${JSON.stringify({ timestamp: iso(1), type: 'build_times', data: { value: seconds } })}\n`;
    writeFile(root, '.logs/build-metrics.2026-11-03.jsonl', line(1)); // 30 days ago: kept
    writeFile(root, '.logs/build-metrics.2026-11-02.jsonl', line(2)); // 31 days ago: expired
    writeFile(root, '.logs/build-metrics.jsonl', line(3)); // from before rotation
    writeFile(root, '.logs/build-metrics.backup.jsonl', line(4)); // not a stream file
    const { stdout } = await dashboard(root, ['--json']);
    const summary = JSON.parse(stdout);
    assert.deepEqual(summary.metrics.files, ['.logs/build-metrics.jsonl', '.logs/build-metrics.2026-11-03.jsonl']);
    assert.equal(summary.builds.count, 2);
  });
});

describe('dashboard: --json', () => {
  it('prints only the summary object, with the documented fields', async () => {
    const { code, stdout } = await dashboard(sampleProject(), ['--json']);
    assert.equal(code, 0);
    const summary = JSON.parse(stdout);
    assert.equal(summary.tokens.total, 1_200_150);
    assert.equal(summary.tokens.input, 1_000_100);
    assert.equal(summary.tokens.output, 200_050);
    assert.equal(summary.tokens.cacheRead, 0);
    assert.equal(summary.tokens.cacheWrite, 0);
    assert.equal(summary.tokens.costUsd, 3.5);
    assert.deepEqual(summary.tokens.byModel, { claude: 1_200_000, 'gpt-4o': 150 });
    assert.equal(Object.values(summary.tokens.byDay as Record<string, number>).reduce((a, b) => a + b, 0), 1_200_150);
    assert.deepEqual([summary.builds.count, summary.builds.p50, summary.builds.p95, summary.builds.max], [2, 42, 420, 420]);
    assert.deepEqual([summary.tests.runs, summary.tests.passed, summary.tests.failed], [1, 10, 1]);
    assert.deepEqual(summary.metrics.byType, { ai_tokens: 2, build_times: 2, test_results: 1, deploy: 1 });
    assert.equal(summary.metrics.total, 6);
    assert.equal(summary.skipped.total, 2);
    assert.deepEqual(summary.alerts.map((a: { name: string }) => a.name), ['token_budget_exceeded', 'build_time_exceeded']);
    assert.deepEqual(Object.keys(summary.alerts[0]), ['name', 'message', 'value', 'threshold']);
  });

  it('--since narrows the view', async () => {
    const { stdout } = await dashboard(sampleProject(), ['--json', '--since', '24h']);
    const summary = JSON.parse(stdout);
    assert.equal(summary.tokens.total, 1_200_000);
  });
});

describe('colour', () => {
  const cases: [string, Record<string, string>, boolean, boolean][] = [
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, true, false],
    ['FORCE_COLOR on a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, true],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
  ];
  for (const [name, env, isTTY, expected] of cases) {
    it(`${name}: ${expected ? 'colour' : 'plain'}`, () => assert.equal(colorEnabled(env, { isTTY, write: () => true }), expected));
  }
});

describe('dashboard and alerts: the real entry script', () => {
  const run = (root: string, args: string[], env: Record<string, string> = {}) => runScript('tools/telemetry/index.ts', args, { cwd: root, env });

  it('dashboard exit 0, and --json prints nothing but JSON on stdout', async () => {
    const result = await run(sampleProject(), ['dashboard', '--json']);
    assert.equal(result.code, 0);
    assert.equal(JSON.parse(result.stdout).metrics.total, 6);
  });

  it('show is the dashboard too', async () => {
    const result = await run(tempProject(), ['show']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /No metrics yet/);
  });

  it('dashboard exit 1: a log file that cannot be read is named, and the rest still shown', async () => {
    const root = sampleProject();
    mkdirSync(join(root, '.logs/test-metrics.jsonl'));
    const result = await run(root, ['dashboard']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Cannot read \.logs\/test-metrics\.jsonl: it is a directory \(EISDIR\); its lines are missing from these figures/);
    assert.match(result.stdout, /AI Tokens Used: 1,200,150/);
  });

  it('dashboard exit 2: a bad --since', async () => {
    const result = await run(tempProject(), ['dashboard', '--since', 'last week']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^--since: "last week" is not a time/);
  });

  it('dashboard exit 2: an unknown option, in node\'s words', async () => {
    const result = await run(tempProject(), ['dashboard', '--jsn']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Unknown option '--jsn'/);
  });

  it('alerts exit 1 when one fires', async () => {
    const result = await run(sampleProject(), ['alerts']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^🚨 token_budget_exceeded: /m);
    assert.match(result.stdout, /^🚨 build_time_exceeded: /m);
  });

  it('alerts exit 0 when none does', async () => {
    const result = await run(tempProject(), ['check']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '✅ No alerts: tokens at 0% of budget, no build over 300 s.\n');
  });

  it('alerts --json lists the alerts', async () => {
    const result = await run(sampleProject(), ['alerts', '--json']);
    assert.equal(result.code, 1);
    assert.equal(JSON.parse(result.stdout).alerts.length, 2);
  });

  it('alerts exit 2 on bad usage', async () => {
    const result = await run(tempProject(), ['alerts', 'now']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Unexpected argument 'now'/);
  });
});
