import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../tools/shared/errors.ts';
import { main } from '../tools/telemetry/cli.ts';
import { runScript, tempProject, testContext, writeFile } from './helpers.ts';

const NOON = new Date(2026, 11, 3, 12, 0, 0);

async function log(root: string, args: string[], overrides: Parameters<typeof testContext>[1] = {}) {
  const ctx = testContext(root, { now: () => NOON, ...overrides });
  const code = await main(['log', ...args], ctx);
  return { code, stdout: ctx.stdout.text, stderr: ctx.stderr.text };
}

function lines(file: string): unknown[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('log: writing', () => {
  it('writes the issue example to the dated build log', async () => {
    const root = tempProject();
    const result = await log(root, ['build_times', '42', 'target=web']);
    assert.deepEqual(result, { code: 0, stdout: '📊 Logged: build_times\n', stderr: '' });
    assert.deepEqual(lines(join(root, '.logs/build-metrics.2026-12-03.jsonl')), [
      { timestamp: NOON.toISOString(), type: 'build_times', data: { value: 42, target: 'web' } },
    ]);
  });

  it('routes each type to its own file', async () => {
    const root = tempProject();
    await log(root, ['ai_tokens', '100']);
    await log(root, ['test_results', 'pass']);
    await log(root, ['deploy', 'ok']);
    assert.equal(lines(join(root, '.config/ai/logs/token-usage.jsonl')).length, 1);
    assert.equal(lines(join(root, '.logs/test-metrics.2026-12-03.jsonl')).length, 1);
    assert.equal(lines(join(root, '.logs/metrics.2026-12-03.jsonl')).length, 1);
    assert.deepEqual(readdirSync(join(root, '.logs')).sort(), ['metrics.2026-12-03.jsonl', 'test-metrics.2026-12-03.jsonl']);
  });

  it('with rotation: none, writes the configured name', async () => {
    const root = tempProject('telemetry:\n  destinations:\n    file:\n      rotation: none\n');
    await log(root, ['build_times', '1']);
    assert.deepEqual(readdirSync(join(root, '.logs')), ['build-metrics.jsonl']);
  });

  it('a new metric in the config gets its own file', async () => {
    const root = tempProject('telemetry:\n  metrics:\n    deploys:\n      log_file: .logs/deploys.jsonl\n');
    await log(root, ['deploys', 'web']);
    assert.deepEqual(readdirSync(join(root, '.logs')), ['deploys.2026-12-03.jsonl']);
  });

  it('runs retention when it creates a new day file, and only then', async () => {
    const root = tempProject();
    const old = writeFile(root, '.logs/build-metrics.2026-10-01.jsonl', '{}\n');
    writeFile(root, '.logs/test-metrics.2026-12-03.jsonl', '{}\n'); // today's file exists already
    await log(root, ['test_results', 'pass']);
    assert.ok(existsSync(old), 'appending to an existing file does not sweep');
    await log(root, ['build_times', '3']);
    assert.equal(existsSync(old), false, "the day's first build line sweeps every stream");
  });
});

describe('log: opting out writes nothing and says so', () => {
  const cases: [string, string | undefined, Record<string, string>, RegExp][] = [
    ['DO_NOT_TRACK=1', undefined, { DO_NOT_TRACK: '1' }, /^Not logged: DO_NOT_TRACK is set\.$/m],
    ['telemetry.enabled: false', 'telemetry:\n  enabled: false\n', {}, /^Not logged: telemetry is disabled \(telemetry\.enabled: false\)\.$/m],
    ['metric disabled', 'telemetry:\n  metrics:\n    build_times:\n      enabled: false\n', {}, /build_times metric is disabled/],
    ['file destination disabled', 'telemetry:\n  destinations:\n    file:\n      enabled: false\n', {}, /file destination is disabled/],
  ];
  for (const [name, config, env, message] of cases) {
    it(name, async () => {
      const root = tempProject(config);
      const result = await log(root, ['build_times', '5'], { env });
      assert.equal(result.code, ExitCode.OK);
      assert.match(result.stdout, message);
      assert.equal(existsSync(join(root, '.logs')), false);
    });
  }

  it('DO_NOT_TRACK=0 does not opt out', async () => {
    const root = tempProject();
    const result = await log(root, ['build_times', '5'], { env: { DO_NOT_TRACK: '0' } });
    assert.match(result.stdout, /Logged/);
  });

  it('a bad value is still a usage error when telemetry is off', async () => {
    const result = await log(tempProject(), ['build_times', 'fast'], { env: { DO_NOT_TRACK: '1' } });
    assert.equal(result.code, ExitCode.USAGE);
  });
});

describe('log: console destination and alerts', () => {
  const levels: [string, string, string][] = [
    ['debug', '📊 Logged: build_times\n   → .logs/build-metrics.2026-12-03.jsonl\n', ''],
    ['info', '📊 Logged: build_times\n', ''],
    ['warn', '', ''],
    ['silent', '', ''],
  ];
  for (const [level, stdout, stderr] of levels) {
    it(`level ${level}`, async () => {
      const root = tempProject(`telemetry:\n  destinations:\n    console:\n      level: ${level}\n`);
      assert.deepEqual(await log(root, ['build_times', '5']), { code: 0, stdout, stderr });
    });
  }

  it('console disabled prints nothing', async () => {
    const root = tempProject('telemetry:\n  destinations:\n    console:\n      enabled: false\n');
    assert.deepEqual(await log(root, ['build_times', '5']), { code: 0, stdout: '', stderr: '' });
  });

  it('a slow build alerts on stderr at once, and as an annotation under GitHub Actions', async () => {
    const result = await log(tempProject(), ['build_times', '301.25', 'target=web'], { env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(result.code, ExitCode.OK);
    assert.equal(
      result.stderr,
      '🚨 build_time_exceeded: build "web" took 301 s, over the 300 s threshold\n' +
        '::warning title=build_time_exceeded::build "web" took 301 s, over the 300 s threshold\n',
    );
  });

  it('a build at the threshold, or with channel none, raises nothing', async () => {
    assert.equal((await log(tempProject(), ['build_times', '300'])).stderr, '');
    const quiet = tempProject('telemetry:\n  alerts:\n    build_time_exceeded:\n      channel: none\n');
    assert.equal((await log(quiet, ['build_times', '999'])).stderr, '');
  });

  it('config warnings go to stderr and the line is still written', async () => {
    const result = await log(tempProject('telemetry:\n  colour: blue\n'), ['build_times', '5']);
    assert.match(result.stderr, /config\.yaml:2:3: warning: telemetry\.colour: unknown key/);
    assert.match(result.stdout, /Logged/);
  });
});

describe('log: write failures end with one line and exit 1', () => {
  it('EISDIR: a directory where the log file should be', async () => {
    const root = tempProject();
    mkdirSync(join(root, '.logs/build-metrics.2026-12-03.jsonl'), { recursive: true });
    const result = await log(root, ['build_times', '5']);
    assert.equal(result.code, ExitCode.FAILURE);
    assert.equal(
      result.stderr,
      'Cannot write .logs/build-metrics.2026-12-03.jsonl: it is a directory (EISDIR). Nothing was logged; make that path writable or change telemetry.metrics.build_times.log_file in the config.\n',
    );
  });

  it('ENOSPC: a full device', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('this system has no /dev/full');
    const root = tempProject('telemetry:\n  metrics:\n    ai_tokens:\n      log_file: /dev/full\n');
    const result = await log(root, ['ai_tokens', '5']);
    assert.equal(result.code, ExitCode.FAILURE);
    assert.match(result.stderr, /^Cannot write \/dev\/full: no space left on the device \(ENOSPC\)\. Nothing was logged;.*\n$/);
  });

  it('ENOTDIR: a file where the logs directory should be', async () => {
    const root = tempProject();
    writeFile(root, '.logs', 'not a directory');
    const result = await log(root, ['deploy', 'ok']);
    assert.equal(result.code, ExitCode.FAILURE);
    assert.match(result.stderr, /^Cannot write \.logs\/metrics\.2026-12-03\.jsonl: .*\(ENOTDIR\).*telemetry\.destinations\.file\.path/);
  });

  it('EACCES: a read-only logs directory, as a real process', async () => {
    const root = tempProject();
    const logs = join(root, '.logs');
    mkdirSync(logs);
    chmodSync(logs, 0o555);
    chmodSync(root, 0o755);
    // root ignores file modes, so run the CLI as an unprivileged user there.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await runScript('tools/telemetry/index.ts', ['log', 'build_times', '5'], { cwd: root, ...asUser });
    assert.equal(result.code, ExitCode.FAILURE, result.stderr);
    assert.match(result.stderr, /^Cannot write \.logs\/build-metrics\.2026-12-03\.jsonl: permission denied \(EACCES\)\./);
    assert.equal(result.stderr.split('\n').length, 2, 'one line');
    assert.deepEqual(readdirSync(logs), []);
  });
});

describe('log: the real entry script', () => {
  it('exit 0: writes the line', async () => {
    const root = tempProject();
    const result = await runScript('tools/telemetry/index.ts', ['log', 'build_times', '42', 'target=web'], { cwd: root });
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, '📊 Logged: build_times\n', '']);
    const [file] = readdirSync(join(root, '.logs'));
    assert.match(file!, /^build-metrics\.\d{4}-\d{2}-\d{2}\.jsonl$/);
    const entry = lines(join(root, '.logs', file!))[0] as { timestamp: string };
    assert.ok(Math.abs(Date.parse(entry.timestamp) - Date.now()) < 60_000);
  });

  it('exit 1: the file cannot be written', async () => {
    const root = tempProject();
    mkdirSync(join(root, '.config/ai/logs/token-usage.jsonl'), { recursive: true });
    const result = await runScript('tools/telemetry/index.ts', ['log', 'ai_tokens', '5'], { cwd: root });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Cannot write \.config\/ai\/logs\/token-usage\.jsonl: it is a directory \(EISDIR\)/);
    assert.doesNotMatch(result.stderr, /    at /, 'no stack trace');
  });

  it('exit 2: a bad value, with no stack trace', async () => {
    const result = await runScript('tools/telemetry/index.ts', ['log', 'build_times', 'soon'], { cwd: tempProject() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^build_times: invalid value "soon"/);
    assert.doesNotMatch(result.stderr, /    at /);
  });

  it('exit 2: a broken config, with file:line:col', async () => {
    const root = tempProject('telemetry:\n  destinations:\n    file:\n      retention_days: -1\n');
    const result = await runScript('tools/telemetry/index.ts', ['log', 'build_times', '1'], { cwd: root });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^\.config\/telemetry\/config\.yaml:4:23: telemetry\.destinations\.file\.retention_days: -1 is below 1/);
  });

  it('exit 2: an unknown command names the known ones', async () => {
    const result = await runScript('tools/telemetry/index.ts', ['lgo'], { cwd: tempProject() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Unknown command "lgo"\. Try: log/);
  });
});
