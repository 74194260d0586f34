import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError, ExitCode } from '../tools/shared/errors.ts';
import { makeEntry, parseLogArgs } from '../tools/telemetry/entry.ts';

const NOW = new Date('2026-12-03T18:30:00.000Z');

/** `log <type> <args...>` → the entry it writes (without the timestamp). */
const GOOD: [string, string[], object][] = [
  ['build_times', ['42', 'target=web'], { type: 'build_times', data: { value: 42, target: 'web' } }],
  ['build_times', ['0.25', 'status=ok'], { type: 'build_times', data: { value: 0.25, status: 'ok' } }],
  ['ai_tokens', ['1234', 'model=gpt-4o'], { type: 'ai_tokens', tokens: 1234, data: { value: 1234, model: 'gpt-4o' } }],
  ['ai_tokens', ['input=100', 'output=20'], { type: 'ai_tokens', tokens: 120, data: { input: 100, output: 20 } }],
  ['ai_tokens', ['500', 'input=400', 'output=100', 'cost_usd=0.01'], { type: 'ai_tokens', tokens: 500, data: { value: 500, input: 400, output: 100, cost_usd: 0.01 } }],
  ['ai_tokens', ['7', 'model=4'], { type: 'ai_tokens', tokens: 7, data: { value: 7, model: '4' } }],
  ['test_results', ['pass'], { type: 'test_results', data: { value: 'pass' } }],
  ['test_results', ['passed=120', 'failed=2', 'skipped=1', 'duration=3.5'], { type: 'test_results', data: { passed: 120, failed: 2, skipped: 1, duration: 3.5 } }],
  ['deploy', ['ok', 'env=staging'], { type: 'deploy', data: { value: 'ok', env: 'staging' } }],
  ['deploy:web', [], { type: 'deploy:web', data: {} }],
  ['temperature', ['-3.5'], { type: 'temperature', data: { value: -3.5 } }],
  ['release', ['007', 'sha=0x1f', 'huge=1e400'], { type: 'release', data: { value: '007', sha: '0x1f', huge: '1e400' } }],
  ['note', ['a=b=c'], { type: 'note', data: { a: 'b=c' } }],
];

/** `log <type> <args...>` → the start of its usage error. */
const BAD: [string, string[], RegExp][] = [
  ['build times', ['1'], /^The metric type "build times" is not valid: use letters, digits and _ \. : -/],
  ['', ['1'], /^The metric type "" is not valid/],
  ['build_times', [], /^build_times needs the build's duration in seconds; for example/],
  ['build_times', ['abc'], /^build_times: invalid value "abc", expected the build's duration in seconds/],
  ['build_times', ['-1'], /^build_times: invalid value -1, expected the build's duration in seconds \(0 or more\)/],
  ['build_times', ['4', 'status=done'], /^build_times: invalid status "done", expected ok or fail/],
  ['ai_tokens', ['12.5'], /^ai_tokens: invalid value 12\.5, expected a whole number of tokens/],
  ['ai_tokens', ['lots'], /^ai_tokens: invalid value "lots", expected a whole number of tokens/],
  ['ai_tokens', ['model=x'], /^ai_tokens needs the number of tokens/],
  ['ai_tokens', ['10', 'input=8', 'output=8'], /^ai_tokens: the parts \(input, output, cache\) add up to 16, more than the total 10/],
  ['ai_tokens', ['10', 'cost_usd=cheap'], /^ai_tokens: invalid cost_usd "cheap", expected a cost in US dollars/],
  ['test_results', ['maybe'], /^test_results: invalid value "maybe", expected pass or fail/],
  ['test_results', [], /^test_results needs an outcome/],
  ['test_results', ['passed=1.5'], /^test_results: invalid passed 1\.5, expected a whole number of tests/],
  ['test_results', ['pass', 'failed=3'], /^test_results: "pass" contradicts failed=3/],
  ['deploy', ['ok', 'again'], /^Unexpected extra value "again": a metric takes one value/],
  ['deploy', ['env=a', 'env=b'], /^The field "env" is given twice/],
  ['deploy', ['env='], /^"env=" has no value; write env=<value> or leave it out/],
];

describe('log entries: good arguments', () => {
  for (const [type, args, expected] of GOOD) {
    it(`${type} ${args.join(' ')}`, () => {
      assert.deepEqual(makeEntry(type, parseLogArgs(args), NOW), { timestamp: '2026-12-03T18:30:00.000Z', ...expected });
    });
  }

  it('puts the token total beside data, where the handoff dashboard sums it', () => {
    const line = JSON.stringify(makeEntry('ai_tokens', parseLogArgs(['99']), NOW));
    assert.equal(JSON.parse(line).tokens, 99);
    assert.equal(line, '{"timestamp":"2026-12-03T18:30:00.000Z","type":"ai_tokens","tokens":99,"data":{"value":99}}');
  });
});

describe('log entries: bad arguments are usage errors that say what was expected', () => {
  for (const [type, args, message] of BAD) {
    it(`${JSON.stringify(type)} ${args.join(' ')}`, () => {
      assert.throws(() => makeEntry(type, parseLogArgs(args), NOW), (error: unknown) => {
        assert.ok(error instanceof CliError);
        assert.equal(error.exitCode, ExitCode.USAGE);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
