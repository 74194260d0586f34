/**
 * Build-time figures: percentiles, the slowest targets, the builds over the threshold.
 */
import { round } from '../shared/format.ts';

export interface TargetStats {
  target: string;
  count: number;
  totalSeconds: number;
  maxSeconds: number;
}

export interface SlowBuild {
  target: string | null;
  seconds: number;
  timestamp: string | null;
}

export interface BuildSummary {
  count: number;
  /** Seconds, by nearest rank; null with no builds. */
  p50: number | null;
  p95: number | null;
  max: number | null;
  threshold: number;
  overThreshold: number;
  /** The slowest builds over the threshold, slowest first (at most 3). */
  worst: SlowBuild[];
  last: { target: string | null; seconds: number; timestamp: string | null } | null;
  /** Targets by their slowest build, slowest first (at most 5). */
  slowestTargets: { target: string; count: number; meanSeconds: number; maxSeconds: number }[];
}

const WORST_KEPT = 3;
const TARGETS_SHOWN = 5;

/** Whether a build of `seconds` would make the list of the slowest few. */
export function isAmongSlowest(worst: SlowBuild[], seconds: number): boolean {
  return worst.length < WORST_KEPT || seconds > worst[worst.length - 1]!.seconds;
}

/** Keeps the slowest few, slowest first. */
export function slowest(builds: SlowBuild[]): SlowBuild[] {
  return builds.sort((a, b) => b.seconds - a.seconds).slice(0, WORST_KEPT);
}

/**
 * The p-th percentile by nearest rank: the smallest value with at least p% of
 * values at or below it. Always a duration that was really measured.
 *
 * @example percentile(Float64Array.of(1, 2, 3, 4), 50) // 2
 */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarizeBuilds(
  seconds: number[],
  last: { target: string | null; seconds: number; ms: number } | null,
  targets: Map<string, TargetStats>,
  worst: SlowBuild[],
  threshold: number,
): BuildSummary {
  const sorted = Float64Array.from(seconds).sort();
  const overThreshold = seconds.length - upperBound(sorted, threshold);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
    threshold,
    overThreshold,
    worst,
    last: last && { target: last.target, seconds: last.seconds, timestamp: Number.isFinite(last.ms) ? new Date(last.ms).toISOString() : null },
    slowestTargets: [...targets.values()]
      .sort((a, b) => b.maxSeconds - a.maxSeconds)
      .slice(0, TARGETS_SHOWN)
      .map((t) => ({ target: t.target, count: t.count, meanSeconds: round(t.totalSeconds / t.count, 2), maxSeconds: t.maxSeconds })),
  };
}

/** How many sorted values are at or below `limit`. */
function upperBound(sorted: Float64Array, limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}
