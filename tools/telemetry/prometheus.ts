/**
 * The Prometheus text exposition format (0.0.4), as the Pushgateway and the
 * node_exporter textfile collector accept it: `# HELP` and `# TYPE` once per
 * family, cumulative histogram buckets ending in `+Inf` with `_sum` and
 * `_count`, escaped label values, no timestamps, a final newline.
 */
import type { Family, Series } from './metric-families.ts';

export function renderPrometheus(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!family.prometheus) continue;
    const { name, help } = family.prometheus;
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${family.kind}`);
    for (const series of family.series) lines.push(...(family.kind === 'histogram' ? histogramLines(name, series) : [sample(name, series.labels, series.value!)]));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `_bucket` lines count every value at or below `le`, so each is the running sum of the buckets so far. */
export function histogramLines(name: string, series: Series): string[] {
  const { bounds, counts, sum, count } = series.histogram!;
  let cumulative = 0;
  const buckets = bounds.map((bound, i) => {
    cumulative += counts[i]!;
    return sample(`${name}_bucket`, { ...series.labels, le: formatNumber(bound) }, cumulative);
  });
  return [...buckets, sample(`${name}_bucket`, { ...series.labels, le: '+Inf' }, count), sample(`${name}_sum`, series.labels, sum), sample(`${name}_count`, series.labels, count)];
}

export function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

// ---------------------------------------------------------------------------

function sample(name: string, labels: Record<string, string>, value: number): string {
  const pairs = Object.entries(labels).map(([key, label]) => `${key}="${escapeLabelValue(label)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatNumber(value)}`;
}

function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** Go's float formatting accepts JavaScript's, except for the infinities. */
function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
