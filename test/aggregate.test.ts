import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS, type Config } from '../tools/shared/config.ts';
import { aggregate, Aggregator } from '../tools/telemetry/aggregate.ts';
import { evaluateAlerts } from '../tools/telemetry/alerts.ts';
import { percentile } from '../tools/telemetry/builds.ts';
import { parseSince } from '../tools/telemetry/summary.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const TOKEN_LOG = '.config/ai/logs/token-usage.jsonl';
const BUILD_LOG = '.logs/build-metrics.2026-12-03.jsonl';

const at = (iso: string) => ({ timestamp: iso });
const tokenLine = (tokens: number, iso = '2026-12-03T10:00:00Z', extra: object = {}) => ({ record: { ...at(iso), tokens, ...extra }, stream: 'ai_tokens', file: TOKEN_LOG });
const build = (seconds: number, target = 'web', iso = '2026-12-03T10:00:00Z') => ({
  record: { ...at(iso), type: 'build_times', data: { value: seconds, target } },
  stream: 'build_times',
  file: BUILD_LOG,
});
const testRun = (data: object, iso = '2026-12-03T10:00:00Z') => ({ record: { ...at(iso), type: 'test_results', data }, stream: 'test_results', file: '.logs/test-metrics.jsonl' });

function configWith(change: (config: Config) => void): Config {
  const config = structuredClone(DEFAULTS);
  change(config);
  return config;
}

describe('aggregate: tokens', () => {
  it('sums totals and splits, costs and models', () => {
    const summary = aggregate(
      [
        tokenLine(100, '2026-12-03T10:00:00Z', { model: 'a', cost_usd: 0.5 }),
        { record: { usage: { input_tokens: 10, output_tokens: 5 }, model: 'b', timestamp: '2026-12-02T10:00:00Z' }, stream: 'ai_tokens', file: TOKEN_LOG },
      ],
      { now: NOW, config: DEFAULTS },
    );
    assert.equal(summary.tokens.total, 115);
    assert.deepEqual([summary.tokens.input, summary.tokens.output, summary.tokens.splitKnown], [10, 5, 15]);
    assert.equal(summary.tokens.costUsd, 0.5);
    assert.deepEqual(summary.tokens.byModel, { a: 100, b: 15 });
    assert.equal(summary.metrics.byType.ai_tokens, 2);
  });

  it('counts a transcript response once, however many lines repeat it', () => {
    const line = (id: string, requestId: string) => ({
      record: { type: 'assistant', requestId, timestamp: '2026-12-03T10:00:00Z', message: { id, model: 'm', usage: { input_tokens: 10, output_tokens: 90 } } },
      stream: 'ai_tokens',
      file: TOKEN_LOG,
    });
    const user = { record: { type: 'user', message: { role: 'user', content: 'hi' } }, stream: 'ai_tokens', file: TOKEN_LOG };
    const summary = aggregate([line('msg_1', 'r1'), line('msg_1', 'r1'), user, line('msg_1', 'r1'), line('msg_2', 'r2'), line('msg_1', 'r9')], { now: NOW, config: DEFAULTS });
    assert.equal(summary.tokens.total, 300);
    assert.equal(summary.tokens.records, 3);
    assert.equal(summary.tokens.duplicates, 2);
    assert.equal(summary.skipped.total, 0, 'user lines are not malformed');
  });

  it('groups tokens by local day', () => {
    const summary = aggregate([tokenLine(5, '2026-12-01T10:00:00Z'), tokenLine(7, '2026-12-01T11:00:00Z'), tokenLine(1, '2026-12-03T10:00:00Z')], { now: NOW, config: DEFAULTS });
    const day = (iso: string) => new Date(iso).toLocaleDateString('sv-SE'); // sv-SE writes YYYY-MM-DD
    assert.deepEqual(summary.tokens.byDay, { [day('2026-12-01T10:00:00Z')]: 12, [day('2026-12-03T10:00:00Z')]: 1 });
  });
});

describe('aggregate: malformed lines are skipped and counted per file', () => {
  const cases: [string, unknown, string][] = [
    ['a JSON array', [1, 2], 'ai_tokens'],
    ['a JSON string', 'text', 'ai_tokens'],
    ['null', null, 'build_times'],
    ['negative tokens', { tokens: -1 }, 'ai_tokens'],
    ['a bad timestamp', { timestamp: 'yesterday', tokens: 5 }, 'ai_tokens'],
    ['a build without seconds', { type: 'build_times', data: { target: 'web' } }, 'build_times'],
    ['a build of negative seconds', { type: 'build_times', data: { value: -3 } }, 'build_times'],
    ['a test run with a bad outcome', { type: 'test_results', data: { value: 'maybe' } }, 'test_results'],
    ['a test run with fractional counts', { type: 'test_results', data: { passed: 1.5 } }, 'test_results'],
    ['a test run with nothing', { type: 'test_results', data: {} }, 'test_results'],
  ];
  for (const [name, record, stream] of cases) {
    it(name, () => {
      const summary = aggregate([{ record, stream, file: 'x.jsonl' }], { now: NOW, config: DEFAULTS });
      assert.deepEqual(summary.skipped, { total: 1, byFile: { 'x.jsonl': 1 } });
      assert.equal(summary.metrics.total, 0);
    });
  }

  it('lines the reader could not parse are counted through skip()', () => {
    const aggregator = new Aggregator({ now: NOW, config: DEFAULTS });
    aggregator.skip('a.jsonl');
    aggregator.skip('a.jsonl');
    aggregator.skip('b.jsonl');
    assert.deepEqual(aggregator.summary([]).skipped, { total: 3, byFile: { 'a.jsonl': 2, 'b.jsonl': 1 } });
  });
});

describe('builds: percentiles by nearest rank', () => {
  const cases: [number[], number, number | null][] = [
    [[], 50, null],
    [[7], 95, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 95, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95, 95],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
  ];
  for (const [values, p, expected] of cases) {
    it(`p${p} of ${values.length} values is ${expected}`, () => assert.equal(percentile(Float64Array.from(values).sort(), p), expected));
  }

  it('summarises builds: last, percentiles, slowest targets, over threshold', () => {
    const summary = aggregate([build(10, 'a', '2026-12-03T09:00:00Z'), build(400, 'b', '2026-12-03T08:00:00Z'), build(30, 'a', '2026-12-03T11:00:00Z'), build(20, 'c', '2026-12-03T10:00:00Z')], { now: NOW, config: DEFAULTS });
    const b = summary.builds;
    assert.deepEqual([b.count, b.p50, b.p95, b.max, b.overThreshold], [4, 20, 400, 400, 1]);
    assert.deepEqual(b.last, { target: 'a', seconds: 30, timestamp: '2026-12-03T11:00:00.000Z' });
    assert.deepEqual(b.slowestTargets.map((t) => [t.target, t.maxSeconds, t.meanSeconds, t.count]), [['b', 400, 400, 1], ['a', 30, 20, 2], ['c', 20, 20, 1]]);
  });

  it("reads build lines from the handoff's metrics.jsonl, value as a string", () => {
    const summary = aggregate([{ record: { timestamp: '2026-12-03T10:00:00Z', type: 'build_times', data: { value: '42' } }, stream: 'metrics', file: 'metrics.jsonl' }], { now: NOW, config: DEFAULTS });
    assert.equal(summary.builds.count, 1);
    assert.equal(summary.builds.max, 42);
  });
});

describe('aggregate: tests and generic metrics', () => {
  it('counts runs, outcomes, tests, and the last failure', () => {
    const summary = aggregate(
      [testRun({ value: 'pass' }), testRun({ passed: 10, failed: 2, target: 'api' }, '2026-12-03T11:00:00Z'), testRun({ value: 'fail' }, '2026-12-02T11:00:00Z'), testRun({ passed: 5, skipped: 1 })],
      { now: NOW, config: DEFAULTS },
    );
    const t = summary.tests;
    assert.deepEqual([t.runs, t.failedRuns, t.passRate, t.passed, t.failed, t.skipped], [4, 2, 0.5, 15, 2, 1]);
    assert.deepEqual(t.lastFailure, { timestamp: '2026-12-03T11:00:00.000Z', failed: 2, target: 'api' });
  });

  it('counts every type, including ones without a stream of their own', () => {
    const generic = (type: string) => ({ record: { timestamp: '2026-12-03T10:00:00Z', type, data: {} }, stream: 'metrics', file: 'metrics.jsonl' });
    const summary = aggregate([generic('deploy'), generic('deploy'), generic('lint'), build(5)], { now: NOW, config: DEFAULTS });
    assert.deepEqual(summary.metrics.byType, { deploy: 2, lint: 1, build_times: 1 });
    assert.equal(summary.metrics.total, 4);
  });
});

describe('aggregate: --since', () => {
  const records = [tokenLine(1000, '2026-11-01T00:00:00Z'), tokenLine(5), { record: { tokens: 7 }, stream: 'ai_tokens', file: TOKEN_LOG }, build(50, 'old', '2026-11-01T00:00:00Z'), build(5)];

  it('keeps only entries at or after the cut-off (undated ones drop out)', () => {
    const summary = aggregate(records, { now: NOW, since: new Date('2026-12-03T10:00:00Z'), config: DEFAULTS });
    assert.equal(summary.tokens.total, 5);
    assert.equal(summary.builds.count, 1);
    assert.equal(summary.metrics.total, 2);
    assert.equal(summary.since, '2026-12-03T10:00:00.000Z');
  });

  it('without --since, undated entries count', () => {
    assert.equal(aggregate(records, { now: NOW, config: DEFAULTS }).tokens.total, 1012);
  });

  it('the token budget keeps its own window, whatever --since shows', () => {
    const summary = aggregate(records, { now: NOW, since: new Date('2026-12-03T10:00:00Z'), config: DEFAULTS });
    assert.equal(summary.tokens.budget.used, 1012);
  });

  const parsing: [string, string][] = [
    ['24h', '2026-12-02T12:00:00.000Z'],
    ['7d', '2026-11-26T12:00:00.000Z'],
    ['2026-12-03T08:30:00Z', '2026-12-03T08:30:00.000Z'],
  ];
  for (const [text, iso] of parsing) {
    it(`parses --since ${text}`, () => assert.equal(parseSince(text, NOW)?.toISOString(), iso));
  }

  it('no --since means no cut-off', () => assert.equal(parseSince(undefined, NOW), undefined));

  it('parses a date as local midnight', () => assert.deepEqual(parseSince('2026-12-01', NOW), new Date(2026, 11, 1)));

  for (const bad of ['yesterday', '0h', '2026-02-30', '12/01/2026', '']) {
    it(`rejects --since ${JSON.stringify(bad)} as a usage error`, () => assert.throws(() => parseSince(bad, NOW), /--since: .* is not a time; use a duration such as 24h/));
  }
});

describe('alerts', () => {
  it('token_budget_exceeded fires above the threshold, not at it', () => {
    const config = configWith((c) => (c.telemetry.alerts.token_budget_exceeded.threshold = 100));
    assert.deepEqual(evaluateAlerts(aggregate([tokenLine(100)], { now: NOW, config }), config), []);
    const alerts = evaluateAlerts(aggregate([tokenLine(100), tokenLine(1)], { now: NOW, config }), config);
    assert.deepEqual(alerts, [{ name: 'token_budget_exceeded', message: '101 tokens in all logs, over the 100 budget (101%)', value: 101, threshold: 100 }]);
  });

  it('token_budget_exceeded counts only its window', () => {
    const config = configWith((c) => Object.assign(c.telemetry.alerts.token_budget_exceeded, { threshold: 100, window: 86_400_000 }));
    const records = [tokenLine(500, '2026-11-20T00:00:00Z'), tokenLine(60, '2026-12-03T01:00:00Z'), tokenLine(50, '2026-12-02T13:00:00Z')];
    const alerts = evaluateAlerts(aggregate(records, { now: NOW, config }), config);
    assert.deepEqual(alerts.map((a) => [a.name, a.value, a.message]), [['token_budget_exceeded', 110, '110 tokens in the last 1d, over the 100 budget (110%)']]);
  });

  it('build_time_exceeded lists the worst builds in view', () => {
    const records = [build(301, 'a'), build(900, 'b'), build(299, 'c'), build(450, 'd'), build(500, 'e')];
    const alerts = evaluateAlerts(aggregate(records, { now: NOW, config: DEFAULTS }), DEFAULTS);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.name, 'build_time_exceeded');
    assert.equal(alerts[0]!.value, 900);
    assert.equal(alerts[0]!.threshold, 300);
    assert.match(alerts[0]!.message, /^4 builds over the 300 s threshold; slowest: b 900 s \(.+\), e 500 s \(.+\), d 450 s \(.+\)$/);
  });

  it('no builds over the threshold, no build alert', () => {
    assert.deepEqual(evaluateAlerts(aggregate([build(300)], { now: NOW, config: DEFAULTS }), DEFAULTS), []);
  });
});
