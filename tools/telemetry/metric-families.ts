/**
 * The summary as metric families, once, for every format: each family knows
 * its Prometheus name and its OpenTelemetry name, and its series carry labels
 * that each renderer names its own way.
 *
 * Values are totals over the logs in view (within retention, after --since):
 * cumulative from the first entry to now.
 */
import type { Summary } from './aggregate.ts';
import type { Breakdown, Histogram } from './breakdown.ts';

export interface Series {
  labels: Record<string, string>;
  /** A counter's value, or a histogram's buckets. */
  value?: number;
  histogram?: Histogram;
}

export interface Family {
  kind: 'counter' | 'histogram';
  /** Integer counters are sent to OpenTelemetry as `asInt`, others as `asDouble`. */
  integer: boolean;
  /** Absent when the family has no Prometheus form. */
  prometheus?: { name: string; help: string };
  /** Absent when the family has no OpenTelemetry form; `attributes` renames labels. */
  otel?: { name: string; description: string; unit: string; attributes: Record<string, string> };
  series: Series[];
}

const TOKEN_TYPES = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheWrite', 'cache_write'],
  ['unsplit', 'unknown'],
] as const;

export function metricFamilies(summary: Summary, breakdown: Breakdown): Family[] {
  const models = Object.entries(breakdown.tokensByModel);
  return [
    {
      kind: 'counter',
      integer: true,
      prometheus: { name: 'telemetry_ai_tokens_total', help: 'AI tokens used, by model and token type (input is input not read from cache; unknown: records that give only a total).' },
      otel: { name: 'monorepo_telemetry.ai.tokens', description: 'AI tokens used, by model and token type.', unit: '{token}', attributes: { model: 'gen_ai.request.model', type: 'gen_ai.token.type' } },
      series: models.flatMap(([model, totals]) =>
        TOKEN_TYPES.filter(([key]) => totals[key] > 0).map(([key, type]) => ({ labels: { model, type }, value: totals[key] })),
      ),
    },
    {
      kind: 'histogram',
      integer: true,
      otel: { name: 'gen_ai.client.token.usage', description: 'Tokens per request, for records that say how they split (input includes cached tokens).', unit: '{token}', attributes: { model: 'gen_ai.request.model', type: 'gen_ai.token.type' } },
      series: Object.entries(breakdown.tokenUsage).flatMap(([model, usage]) => [
        { labels: { model, type: 'input' }, histogram: usage.input },
        { labels: { model, type: 'output' }, histogram: usage.output },
      ]),
    },
    {
      kind: 'counter',
      integer: false,
      prometheus: { name: 'telemetry_ai_cost_usd_total', help: 'AI cost in US dollars, by model, for records that give a cost.' },
      otel: { name: 'monorepo_telemetry.ai.cost', description: 'AI cost in US dollars, by model.', unit: '[USD]', attributes: { model: 'gen_ai.request.model' } },
      series: models.filter(([, totals]) => totals.costUsd !== null).map(([model, totals]) => ({ labels: { model }, value: totals.costUsd! })),
    },
    {
      kind: 'histogram',
      integer: false,
      prometheus: { name: 'telemetry_build_duration_seconds', help: 'Build wall time in seconds, by target and result.' },
      otel: { name: 'cicd.pipeline.run.duration', description: 'Build wall time, by target and result.', unit: 's', attributes: { target: 'cicd.pipeline.name', result: 'cicd.pipeline.result' } },
      series: breakdown.builds.map((b) => ({ labels: { target: b.target, result: b.result }, histogram: b.histogram })),
    },
    counter('telemetry_builds_over_threshold_total', 'monorepo_telemetry.builds.over_threshold', '{build}', `Builds slower than the alert threshold (${summary.builds.threshold} s).`, [{ labels: {}, value: summary.builds.overThreshold }]),
    counter('telemetry_test_runs_total', 'monorepo_telemetry.test.runs', '{run}', 'Test runs, by outcome.', [
      { labels: { outcome: 'pass' }, value: summary.tests.runs - summary.tests.failedRuns },
      { labels: { outcome: 'fail' }, value: summary.tests.failedRuns },
    ]),
    counter('telemetry_tests_total', 'monorepo_telemetry.tests', '{test}', 'Tests, by result, summed over the runs that report counts.', [
      { labels: { result: 'passed' }, value: summary.tests.passed },
      { labels: { result: 'failed' }, value: summary.tests.failed },
      { labels: { result: 'skipped' }, value: summary.tests.skipped },
    ]),
    counter('telemetry_metrics_logged_total', 'monorepo_telemetry.metrics.logged', '{entry}', 'Log entries counted, by type.', Object.entries(summary.metrics.byType).map(([type, value]) => ({ labels: { type }, value }))),
    counter('telemetry_skipped_lines_total', 'monorepo_telemetry.lines.skipped', '{line}', 'Log lines skipped as unreadable (bad JSON or values), by file.', Object.entries(summary.skipped.byFile).map(([file, value]) => ({ labels: { file }, value }))),
  ].filter((family) => family.series.length > 0) as Family[];
}

function counter(prometheusName: string, otelName: string, unit: string, help: string, series: Series[]): Family {
  return {
    kind: 'counter',
    integer: true,
    prometheus: { name: prometheusName, help },
    otel: { name: otelName, description: help, unit, attributes: {} },
    series,
  };
}
