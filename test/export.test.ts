import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { emptyHistogram, observe } from '../tools/telemetry/breakdown.ts';
import { main } from '../tools/telemetry/cli.ts';
import { nanos } from '../tools/telemetry/otlp.ts';
import { escapeLabelValue, histogramLines, renderPrometheus } from '../tools/telemetry/prometheus.ts';
import { closedPortUrl, httpServer, text, type Running } from './health-servers.ts';
import { runScript, tempProject, testContext, writeFile } from './helpers.ts';
import { eventually, query, requireBinary, startPrometheus, startPushgateway, type Started } from './prometheus-servers.ts';

/** A project holding a known set of metrics, logged through the real `log` command. */
async function knownProject(): Promise<string> {
  const root = tempProject();
  const entries = [
    ['ai_tokens', '1000', 'model=gpt-4o', 'input=800', 'output=200', 'cost_usd=0.5'],
    ['ai_tokens', '300', 'model=claude "quoted"\\name'],
    ['ai_tokens', '50', 'model=gpt-4o', 'input=50', 'cost_usd=0.25'],
    ['build_times', '42', 'target=web', 'status=ok'],
    ['build_times', '400', 'target=web', 'status=fail'],
    ['build_times', '7.5', 'target=api'],
    ['test_results', 'passed=10', 'failed=1', 'skipped=2'],
    ['test_results', 'pass'],
    ['deploy', 'ok'],
  ];
  for (const args of entries) {
    const ctx = testContext(root, { now: () => new Date() });
    assert.equal(await main(['log', ...args], ctx), 0, ctx.stderr.text);
  }
  const metricsFile = readdirSync(join(root, '.logs')).find((f) => f.startsWith('metrics.'))!;
  writeFile(root, join('.logs', metricsFile), `${readFileSync(join(root, '.logs', metricsFile), 'utf8')}{"torn":\n`);
  return root;
}

async function dashboardJson(root: string) {
  const result = await runScript('tools/telemetry/index.ts', ['dashboard', '--json'], { cwd: root });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

describe('prometheus text: the rules', () => {
  const escapes: [string, string][] = [
    ['plain', 'plain'],
    ['say "hi"', 'say \\"hi\\"'],
    ['C:\\logs', 'C:\\\\logs'],
    ['two\nlines', 'two\\nlines'],
    ['\\"\n', '\\\\\\"\\n'],
  ];
  for (const [raw, escaped] of escapes) {
    it(`escapes ${JSON.stringify(raw)}`, () => assert.equal(escapeLabelValue(raw), escaped));
  }

  const buckets: [number[], number[]][] = [
    [[0.5, 1, 1.0001, 5, 3600, 3600.1], [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]],
    [[], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ];
  for (const [values, perBucket] of buckets) {
    it(`counts ${JSON.stringify(values)} into per-bucket counts, a value equal to a bound in that bound's bucket`, () => {
      const histogram = emptyHistogram([1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600]);
      for (const value of values) observe(histogram, value);
      assert.deepEqual(histogram.counts, perBucket);
      assert.equal(histogram.count, values.length);
    });
  }

  it('renders buckets cumulatively, ending in +Inf, then _sum and _count', () => {
    const histogram = emptyHistogram([1, 5]);
    for (const value of [0.5, 2, 3, 9]) observe(histogram, value);
    assert.deepEqual(histogramLines('x_seconds', { labels: { target: 'web' }, histogram }), [
      'x_seconds_bucket{target="web",le="1"} 1',
      'x_seconds_bucket{target="web",le="5"} 3',
      'x_seconds_bucket{target="web",le="+Inf"} 4',
      'x_seconds_sum{target="web"} 14.5',
      'x_seconds_count{target="web"} 4',
    ]);
  });

  it('writes HELP and TYPE once per family, no timestamps, and a final newline', () => {
    const text = renderPrometheus([
      { kind: 'counter', integer: true, prometheus: { name: 'a_total', help: 'A\nB' }, series: [{ labels: { k: 'x' }, value: 1 }, { labels: { k: 'y' }, value: 2 }] },
      { kind: 'counter', integer: true, otel: { name: 'only.otel', description: '', unit: '1', attributes: {} }, series: [{ labels: {}, value: 1 }] },
    ]);
    assert.equal(text, '# HELP a_total A\\nB\n# TYPE a_total counter\na_total{k="x"} 1\na_total{k="y"} 2\n');
  });

  it('keeps nanosecond times exact', () => {
    assert.equal(nanos(1_764_787_200_123), '1764787200123000000');
  });
});

describe('export: the command', () => {
  let root: string;
  before(async () => {
    root = await knownProject();
  });

  it('promtool check metrics accepts the text', async (t) => {
    if (!requireBinary(t, 'promtool')) return;
    const exported = await runScript('tools/telemetry/index.ts', ['export', '--format', 'prometheus'], { cwd: root });
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^telemetry_ai_tokens_total\{model="claude \\"quoted\\"\\\\name",type="unknown"\} 300$/m);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: exported.stdout, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '');
  });

  it('the text has no duplicate series', async () => {
    const exported = await runScript('tools/telemetry/index.ts', ['export', '--format', 'prometheus'], { cwd: root });
    const samples = exported.stdout.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.slice(0, line.lastIndexOf(' ')));
    assert.equal(new Set(samples).size, samples.length);
  });

  it('json is the dashboard --json', async () => {
    const exported = await runScript('tools/telemetry/index.ts', ['export', '--format', 'json'], { cwd: root });
    const { generatedAt: _a, ...fromExport } = JSON.parse(exported.stdout);
    const { generatedAt: _b, ...fromDashboard } = await dashboardJson(root);
    assert.deepEqual(fromExport, fromDashboard);
  });

  it('--out writes the file atomically, leaving no temporary file', async () => {
    const out = join(tempProject(), 'textfile');
    mkdirSync(out);
    const result = await runScript('tools/telemetry/index.ts', ['export', '--format', 'prometheus', '--out', join(out, 'telemetry.prom')], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(out), ['telemetry.prom']);
    assert.match(readFileSync(join(out, 'telemetry.prom'), 'utf8'), /^# HELP telemetry_ai_tokens_total /);
  });

  it('--out into a missing directory: exit 1, nothing written', async () => {
    const result = await runScript('tools/telemetry/index.ts', ['export', '--format', 'prometheus', '--out', 'no/such/dir/x.prom'], { cwd: root });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Cannot write .*no\/such\/dir\/x\.prom: no such file or directory \(ENOENT\)\. Nothing was written/);
  });

  it('exit 2 without a known --format', async () => {
    const result = await runScript('tools/telemetry/index.ts', ['export', '--format', 'csv'], { cwd: root });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^--format: expected prometheus, otlp-json or json, got "csv"/);
  });
});

describe('push: OTLP to a local receiver', () => {
  let received: { method: string; url: string; type: string; body: string }[] = [];
  let receiver: Running;
  before(async () => {
    receiver = await httpServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, type: req.headers['content-type'] ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    }, '');
  });
  after(() => receiver.close());

  it('sends OTLP/HTTP JSON that the official protobuf types decode back to the same request', async () => {
    received = [];
    const root = await knownProject();
    const result = await runScript('tools/telemetry/index.ts', ['push', '--otlp', receiver.url], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `Pushed to ${receiver.url}/v1/metrics\n`);
    assert.equal(received.length, 1);
    const [request] = received;
    assert.deepEqual([request!.method, request!.url, request!.type], ['POST', '/v1/metrics', 'application/json']);

    const ours = JSON.parse(request!.body);
    assert.deepEqual(withoutEmpty(throughProtobuf(ours)), withoutEmpty(ours));

    const metrics = ours.resourceMetrics[0].scopeMetrics[0].metrics as { name: string; sum?: { dataPoints: { asInt?: string }[] }; histogram?: { dataPoints: { count: string; bucketCounts: string[]; explicitBounds: number[] }[] } }[];
    const names = metrics.map((m) => m.name);
    assert.ok(names.includes('gen_ai.client.token.usage') && names.includes('cicd.pipeline.run.duration'), names.join(', '));
    const tokens = metrics.find((m) => m.name === 'monorepo_telemetry.ai.tokens')!;
    assert.equal(tokens.sum!.dataPoints.reduce((sum, p) => sum + Number(p.asInt), 0), 1350);
    for (const point of metrics.find((m) => m.name === 'cicd.pipeline.run.duration')!.histogram!.dataPoints) {
      assert.equal(typeof point.count, 'string');
      assert.equal(point.bucketCounts.length, point.explicitBounds.length + 1);
      assert.equal(point.bucketCounts.reduce((sum, c) => sum + Number(c), 0), Number(point.count), 'per-bucket counts add up to the count');
    }
  });
});

describe('push: failures say what the server answered, and change nothing', () => {
  it('a refused connection', async () => {
    const url = await closedPortUrl();
    const base = url.replace('/health', '');
    const result = await runScript('tools/telemetry/index.ts', ['push', '--pushgateway', base, '--job', 'ci'], { cwd: await knownProject() });
    assert.equal(result.code, 1);
    const port = new URL(base).port;
    assert.equal(
      result.stderr,
      `Push to ${base}/metrics/job/ci failed: connection refused at 127.0.0.1:${port}. Nothing local was changed; check that the Pushgateway runs and its URL (--pushgateway or telemetry.destinations.pushgateway.url).\n`,
    );
  });

  it('a 400 answer', async () => {
    const gateway = await httpServer(text(400, 'text format parsing error in line 3: second TYPE line for metric name "x", or TYPE reported after samples\n'), '');
    const root = await knownProject();
    const before = readdirSync(join(root, '.logs')).map((f) => readFileSync(join(root, '.logs', f), 'utf8'));
    const result = await runScript('tools/telemetry/index.ts', ['push', '--pushgateway', gateway.url], { cwd: root });
    await gateway.close();
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `Push to ${gateway.url}/metrics/job/monorepo-telemetry failed: The Pushgateway answered HTTP 400 Bad Request: text format parsing error in line 3: second TYPE line for metric name "x", or TYPE reported after samples. Nothing local was changed; check that the Pushgateway runs and its URL (--pushgateway or telemetry.destinations.pushgateway.url).\n`,
    );
    assert.deepEqual(readdirSync(join(root, '.logs')).map((f) => readFileSync(join(root, '.logs', f), 'utf8')), before);
  });

  const badOptions: [string[], RegExp][] = [
    [['--pushgateway', 'localhost:9091'], /^--pushgateway: expected an http:\/\/ or https:\/\/ URL, got "localhost:9091"\./],
    [['--pushgateway', 'http://localhost:9091', '--job', 'ci/main'], /^--job: got "ci\/main", expected a job name \(letters, digits, _ \. -\)\./],
    [['--otlp', 'http://localhost:4318', '--timeout', '0'], /^--timeout: expected a whole number of milliseconds from 1 to 600000, got "0"\./],
  ];
  for (const [args, message] of badOptions) {
    it(`push ${args.join(' ')} is a usage error`, async () => {
      const result = await runScript('tools/telemetry/index.ts', ['push', ...args], { cwd: tempProject() });
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
    });
  }

  it('nowhere to push is a usage error', async () => {
    const result = await runScript('tools/telemetry/index.ts', ['push'], { cwd: tempProject() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Nowhere to push: give --pushgateway <url> or --otlp <url>/);
  });
});

describe('push: through a real Pushgateway into a real Prometheus', () => {
  let gateway: Started | undefined;
  let prometheus: Started | undefined;
  after(async () => {
    await prometheus?.stop();
    await gateway?.stop();
  });

  it('Prometheus reports the same figures as the dashboard', { timeout: 90_000 }, async (t) => {
    if (!requireBinary(t, 'prometheus-pushgateway') || !requireBinary(t, 'prometheus')) return;
    gateway = await startPushgateway();
    prometheus = await startPrometheus(new URL(gateway.url).host);
    const root = await knownProject();
    const pushed = await runScript('tools/telemetry/index.ts', ['push', '--pushgateway', gateway.url, '--job', 'e2e'], { cwd: root });
    assert.equal(pushed.code, 0, pushed.stderr);
    const summary = await dashboardJson(root);

    const scalar = async (promql: string) => {
      const [first] = await query(prometheus!.url, promql);
      return first?.value;
    };
    // Wait for the first scrape that carries the push.
    await eventually(() => scalar('sum(telemetry_ai_tokens_total{job="e2e"})'), 30_000);

    const expectations: [string, number][] = [
      ['sum(telemetry_ai_tokens_total{job="e2e"})', summary.tokens.total],
      ['sum(telemetry_ai_cost_usd_total{job="e2e"})', summary.tokens.costUsd],
      ['sum(telemetry_ai_tokens_total{job="e2e",type="input"})', summary.tokens.input],
      ['sum(telemetry_build_duration_seconds_count{job="e2e"})', summary.builds.count],
      ['sum(telemetry_builds_over_threshold_total{job="e2e"})', summary.builds.overThreshold],
      ['sum(telemetry_test_runs_total{job="e2e"})', summary.tests.runs],
      ['sum(telemetry_test_runs_total{job="e2e",outcome="fail"})', summary.tests.failedRuns],
      ['sum(telemetry_tests_total{job="e2e",result="passed"})', summary.tests.passed],
      ['sum(telemetry_tests_total{job="e2e",result="failed"})', summary.tests.failed],
      ['sum(telemetry_tests_total{job="e2e",result="skipped"})', summary.tests.skipped],
      ['sum(telemetry_metrics_logged_total{job="e2e"})', summary.metrics.total],
      ['sum(telemetry_skipped_lines_total{job="e2e"})', summary.skipped.total],
    ];
    for (const [promql, expected] of expectations) {
      assert.equal(await scalar(promql), expected, promql);
    }
    // The slowest build is in the bucket the dashboard's max puts it in.
    assert.equal(await scalar(`sum(telemetry_build_duration_seconds_bucket{job="e2e",le="300"})`), summary.builds.count - summary.builds.overThreshold);
  });
});

// ---------------------------------------------------------------------------

/** Encodes the JSON with the official OTLP protobuf types and decodes it back, as a collector would. */
function throughProtobuf(json: object): object {
  const require = createRequire(import.meta.url);
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
  const Request = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
  const bytes = Request.encode(Request.fromObject(json)).finish();
  return Request.toObject(Request.decode(bytes), { longs: String, enums: Number });
}

/** Protobuf drops empty lists when decoding; so does this, on both sides. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(Array.isArray(v) && v.length === 0)).map(([k, v]) => [k, withoutEmpty(v)]));
}
