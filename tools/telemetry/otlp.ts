/**
 * OTLP/HTTP JSON (`POST /v1/metrics`): lowerCamelCase fields, enums as
 * integers, 64-bit integers as decimal strings, cumulative temporality, and
 * histogram bucket counts per bucket (not cumulative).
 */
import type { Family, Series } from './metric-families.ts';

const CUMULATIVE = 2;
export const SCOPE = { name: 'monorepo-telemetry', version: '0.1.0' };

export interface OtlpOptions {
  /** Where the cumulative totals start: the first entry counted. */
  startMs: number;
  nowMs: number;
  serviceName: string;
}

export function renderOtlp(families: Family[], options: OtlpOptions): object {
  const times = { startTimeUnixNano: nanos(options.startMs), timeUnixNano: nanos(options.nowMs) };
  const metrics = families.filter((f) => f.otel).map((family) => {
    const { name, description, unit, attributes } = family.otel!;
    const point = (series: Series) => ({ attributes: otelAttributes(series.labels, attributes), ...times });
    if (family.kind === 'histogram') {
      const dataPoints = family.series.map((series) => {
        const { bounds, counts, sum, count } = series.histogram!;
        return { ...point(series), count: String(count), sum, bucketCounts: counts.map(String), explicitBounds: [...bounds] };
      });
      return { name, description, unit, histogram: { aggregationTemporality: CUMULATIVE, dataPoints } };
    }
    const dataPoints = family.series.map((series) => ({ ...point(series), ...(family.integer ? { asInt: String(series.value) } : { asDouble: series.value }) }));
    return { name, description, unit, sum: { aggregationTemporality: CUMULATIVE, isMonotonic: true, dataPoints } };
  });
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: options.serviceName } }] },
        scopeMetrics: [{ scope: SCOPE, metrics }],
      },
    ],
  };
}

/** Epoch milliseconds as nanoseconds in a decimal string: a JS number would lose the last digits. */
export function nanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

function otelAttributes(labels: Record<string, string>, names: Record<string, string>) {
  return Object.entries(labels).map(([key, value]) => ({ key: names[key] ?? `monorepo_telemetry.${key}`, value: { stringValue: value } }));
}
