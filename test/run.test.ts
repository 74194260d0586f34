import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatCommand, maskSecrets } from '../tools/telemetry/command-line.ts';
import { fieldsFor, parseRunArgs } from '../tools/telemetry/run.ts';
import { scanTestSummary, type TestCounts } from '../tools/telemetry/test-summary.ts';
import { REPO_ROOT, runScript, tempProject, writeFile } from './helpers.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/test-output');
const NODE = process.execPath;

describe('run: recognising test summaries', () => {
  const cases: [string, TestCounts | undefined][] = [
    ['node-spec.txt', { passed: 1, failed: 1, skipped: 1 }],
    ['node-tap.txt', { passed: 1, failed: 1, skipped: 1 }],
    ['tap.txt', { passed: 2, failed: 1, skipped: 1 }],
    ['vitest.txt', { passed: 4, failed: 1, skipped: 1 }],
    ['vitest-colour.txt', { passed: 7, failed: 0, skipped: 0 }],
    ['jest.txt', { passed: 10, failed: 2, skipped: 1 }],
    ['pytest.txt', { passed: 13, failed: 1, skipped: 1 }],
    ['go.txt', { passed: 2, failed: 1, skipped: 0 }],
    ['go-verbose.txt', { passed: 2, failed: 1, skipped: 1 }],
    ['plain.txt', { passed: 12, failed: 1, skipped: 0 }],
  ];
  for (const [file, expected] of cases) {
    it(file, () => assert.deepEqual(scanTestSummary(readFileSync(join(FIXTURES, file), 'utf8')), expected));
  }

  it('output without a summary gives nothing', () => {
    assert.equal(scanTestSummary('compiling…\nwarning: 3 failed lookups, retrying\ndone\n'), undefined);
  });

  it('the last summary wins (watch mode prints several)', () => {
    assert.deepEqual(scanTestSummary('Tests:  1 failed, 3 passed, 4 total\nTests:  4 passed, 4 total\n'), { passed: 4, failed: 0, skipped: 0 });
  });
});

describe('run: secrets are masked in the recorded command', () => {
  const cases: [string[], string[]][] = [
    [['deploy', '--token=abc123'], ['deploy', '--token=***']],
    [['deploy', '--password', 'hunter2', '--verbose'], ['deploy', '--password', '***', '--verbose']],
    [['npm', 'publish', '--otp', '123456', '--auth-token', 'x'], ['npm', 'publish', '--otp', '123456', '--auth-token', '***']],
    [['env', 'NPM_TOKEN=abc', 'API_KEY=k', 'npm', 'publish'], ['env', 'NPM_TOKEN=***', 'API_KEY=***', 'npm', 'publish']],
    [['curl', 'https://user:s3cret@example.com/x'], ['curl', 'https://user:***@example.com/x']],
    [['git', 'commit', '--author', 'Jane <j@example.com>'], ['git', 'commit', '--author', 'Jane <j@example.com>']],
    [['tsc', '-p', '.', 'key=value'], ['tsc', '-p', '.', 'key=value']],
    [['aws', '--client-secret=s', '--api-key', 'k'], ['aws', '--client-secret=***', '--api-key', '***']],
  ];
  for (const [argv, expected] of cases) {
    it(argv.join(' '), () => assert.deepEqual(maskSecrets(argv), expected));
  }

  it('quotes arguments as a shell would need', () => {
    assert.equal(formatCommand(['node', '-e', "console.log('hi')", 'a b', 'plain-word']), `node -e 'console.log('\\''hi'\\'')' 'a b' plain-word`);
  });
});

describe('run: arguments and recorded fields', () => {
  const parsing: [string[], object][] = [
    [['--', 'tsc', '-p', '.'], { type: 'build_times', help: false, command: ['tsc', '-p', '.'] }],
    [['--name', 'web', '--', 'tsc'], { type: 'build_times', name: 'web', help: false, command: ['tsc'] }],
    [['--type', 'test_results', 'npm', 'test', '--', '--watch=false'], { type: 'test_results', help: false, command: ['npm', 'test', '--', '--watch=false'] }],
    [['--type=test_results', '--name=api', 'pytest', '-q'], { type: 'test_results', name: 'api', help: false, command: ['pytest', '-q'] }],
  ];
  for (const [args, expected] of parsing) {
    it(`parses run ${args.join(' ')}`, () => assert.deepEqual(parseRunArgs(args), expected));
  }

  const bad: [string[], RegExp][] = [
    [[], /run needs a command to run, after --/],
    [['--'], /run needs a command to run/],
    [['--type', 'lint', '--', 'eslint'], /--type: expected build_times or test_results, got "lint"/],
    [['--nmae', 'web', '--', 'tsc'], /Unknown option '--nmae'/],
  ];
  for (const [args, message] of bad) {
    it(`rejects run ${args.join(' ')}`, () => assert.throws(() => parseRunArgs(args), message));
  }

  const base = { seconds: 12.5, target: 'web', command: 'tsc -p .' };
  const fields: [string, Parameters<typeof fieldsFor>, object][] = [
    ['a build that passed', ['build_times', { ...base, exitCode: 0, counts: undefined }], { value: 12.5, status: 'ok', target: 'web', exit_code: 0, command: 'tsc -p .' }],
    ['a build that failed', ['build_times', { ...base, exitCode: 2, counts: undefined }], { value: 12.5, status: 'fail', target: 'web', exit_code: 2, command: 'tsc -p .' }],
    ['tests with a summary', ['test_results', { ...base, exitCode: 1, counts: { passed: 3, failed: 1, skipped: 0 } }], { value: 'fail', passed: 3, failed: 1, skipped: 0, duration: 12.5, target: 'web', exit_code: 1, command: 'tsc -p .' }],
    ['passing tests with a summary', ['test_results', { ...base, exitCode: 0, counts: { passed: 3, failed: 0, skipped: 1 } }], { passed: 3, failed: 0, skipped: 1, duration: 12.5, target: 'web', exit_code: 0, command: 'tsc -p .' }],
    ['tests without a summary', ['test_results', { ...base, exitCode: 0, counts: undefined }], { value: 'pass', duration: 12.5, target: 'web', exit_code: 0, command: 'tsc -p .' }],
  ];
  for (const [name, args, expected] of fields) {
    it(`records ${name}`, () => assert.deepEqual(fieldsFor(...args), expected));
  }
});

describe('run: the real command', () => {
  const telemetry = (cwd: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) => runScript('tools/telemetry/index.ts', ['run', ...args], { cwd, ...options });
  const recorded = (root: string, stream = 'build-metrics') => {
    const file = readdirSync(join(root, '.logs')).find((name) => name.startsWith(`${stream}.`))!;
    return readFileSync(join(root, '.logs', file), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  };

  for (const code of [0, 3]) {
    it(`passes exit code ${code} through, with the output untouched`, async () => {
      const root = tempProject();
      const result = await telemetry(root, ['--name', 'web', '--', NODE, '-e', `process.stdout.write('out\\n'); process.stderr.write('err\\n'); process.exit(${code})`]);
      assert.equal(result.code, code);
      assert.equal(result.stdout, 'out\n');
      assert.equal(result.stderr, 'err\n📊 Logged: build_times\n');
      const [entry] = recorded(root);
      assert.deepEqual({ ...entry.data, value: 0, command: '' }, { value: 0, status: code === 0 ? 'ok' : 'fail', target: 'web', exit_code: code, command: '' });
    });
  }

  it('exits 128 + the signal number when the command is killed by a signal', async () => {
    const root = tempProject();
    const result = await telemetry(root, ['--', NODE, '-e', "process.kill(process.pid, 'SIGTERM')"]);
    assert.equal(result.code, 143);
    assert.equal(recorded(root)[0].data.exit_code, 143);
  });

  it('forwards SIGTERM to the command and exits with its code', async () => {
    const root = tempProject();
    const script = "process.on('SIGTERM', () => { console.log('stopping'); process.exit(7) }); console.log('ready'); setInterval(() => {}, 1000)";
    const child = spawn(NODE, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'tools/telemetry/index.ts'), 'run', '--', NODE, '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready')) child.kill('SIGTERM');
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 7);
    assert.equal(stdout, 'ready\nstopping\n');
  });

  it('passes stdin through', async () => {
    const result = await telemetry(tempProject(), ['--', NODE, '-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello from stdin\n' });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'hello from stdin\n');
  });

  it('records the wall time of the command', async () => {
    const root = tempProject();
    await telemetry(root, ['--', NODE, '-e', 'setTimeout(() => {}, 1000)']);
    const seconds = recorded(root)[0].data.value;
    assert.ok(seconds >= 1 && seconds < 2.5, `recorded ${seconds} s for a 1 s sleep`);
  });

  it('names the target from npm_package_name, else the command', async () => {
    const root = tempProject();
    await telemetry(root, ['--', NODE, '-e', '0'], { env: { npm_package_name: '@acme/web' } });
    await telemetry(root, ['--', NODE, '-e', '0']);
    assert.deepEqual(recorded(root).map((e) => e.data.target), ['@acme/web', 'node']);
  });

  it('masks secrets in the recorded command', async () => {
    const root = tempProject();
    await telemetry(root, ['--', NODE, '-e', '0', '--', '--token=abc123']);
    assert.match(recorded(root)[0].data.command, / -e 0 -- '--token=\*\*\*'$/);
  });

  it('records test counts from the output, which passes through unchanged', async () => {
    const root = tempProject();
    const output = readFileSync(join(FIXTURES, 'jest.txt'), 'utf8');
    const result = await telemetry(root, ['--type', 'test_results', '--name', 'api', '--', NODE, '-e', `process.stderr.write(${JSON.stringify(output)}); process.exit(1)`]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `${output}📊 Logged: test_results\n`);
    const [entry] = recorded(root, 'test-metrics');
    assert.deepEqual({ ...entry.data, duration: 0 }, { value: 'fail', passed: 10, failed: 2, skipped: 1, duration: 0, target: 'api', exit_code: 1, command: entry.data.command });
  });

  it('a command that is not found: one line, exit 127, recorded as a failure', async () => {
    const root = tempProject();
    const result = await telemetry(root, ['--', 'no-such-command-xyz', '--flag']);
    assert.equal(result.code, 127);
    assert.equal(result.stderr, 'Cannot run "no-such-command-xyz": command not found (ENOENT); check the name and your PATH.\n📊 Logged: build_times\n');
    assert.deepEqual(recorded(root)[0].data.status, 'fail');
  });

  it('a file that is not executable: exit 126', async () => {
    const root = tempProject();
    const script = writeFile(root, 'build.sh', '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const result = await telemetry(root, ['--', './build.sh']);
    assert.equal(result.code, 126);
    assert.match(result.stderr, /^Cannot run "\.\/build\.sh": not executable \(EACCES\)/);
  });

  it('a log that cannot be written does not change the exit code', async () => {
    const root = tempProject();
    mkdirSync(join(root, '.logs'), { recursive: true });
    writeFile(root, '.logs/x', '');
    mkdirSync(join(root, `.logs/build-metrics.${new Date().toLocaleDateString('sv-SE')}.jsonl`));
    const result = await telemetry(root, ['--', NODE, '-e', 'process.exit(4)']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /^Cannot write \.logs\/build-metrics\.[\d-]+\.jsonl: it is a directory \(EISDIR\)\. .*\(The command's own exit code, 4, is kept\.\)\n$/);
  });

  it('a broken config is reported, and the command still runs', async () => {
    const result = await telemetry(tempProject('telemetry:\n  enabled: maybe\n'), ['--', NODE, '-e', "console.log('built')"]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'built\n');
    assert.match(result.stderr, /config\.yaml:2:12: telemetry\.enabled: got "maybe".*\nThe command runs, but nothing will be recorded\.\n$/s);
  });

  it('a slow build raises its alert when it ends', async () => {
    const root = tempProject('telemetry:\n  alerts:\n    build_time_exceeded:\n      threshold_seconds: 1\n');
    const result = await telemetry(root, ['--name', 'web', '--', NODE, '-e', 'setTimeout(() => {}, 1100)']);
    assert.match(result.stderr, /🚨 build_time_exceeded: build "web" took 1\.\d s, over the 1 s threshold\n/);
  });

  it('exit 2 on bad usage, before running anything', async () => {
    const result = await telemetry(tempProject(), ['--type', 'lint', '--', NODE, '-e', "console.log('ran')"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
  });
});
