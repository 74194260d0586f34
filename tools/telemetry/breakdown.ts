/**
 * The finer figures a metrics stack wants and the dashboard does not show:
 * tokens per model and type, cost per model, and histograms of build times
 * and of tokens per request. Collected in the same pass as the summary.
 */
import type { TokenUsage } from './tokens.ts';

/** Build durations in seconds: from a quick rebuild to a slow CI job. */
export const BUILD_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;
/** Tokens per request: the OpenTelemetry GenAI semantic conventions' advice for gen_ai.client.token.usage. */
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] as const;

export interface Histogram {
  bounds: readonly number[];
  /** Per bucket (not cumulative): `counts[i]` holds values in (bounds[i-1], bounds[i]]; the last one, values above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

export type BuildResult = 'success' | 'failure' | 'unknown';

export interface TokensOfModel {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Tokens of records that give only a total. */
  unsplit: number;
  costUsd: number | null;
}

export interface Breakdown {
  /** The earliest entry counted, as epoch milliseconds: where cumulative totals start. */
  firstMs: number | null;
  tokensByModel: Record<string, TokensOfModel>;
  /** Per request, for records that say how they split: input (cache included) and output. */
  tokenUsage: Record<string, { input: Histogram; output: Histogram }>;
  builds: { target: string; result: BuildResult; histogram: Histogram }[];
}

export function emptyHistogram(bounds: readonly number[]): Histogram {
  return { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
}

export function observe(histogram: Histogram, value: number): void {
  const { bounds } = histogram;
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value <= bounds[mid]!) high = mid;
    else low = mid + 1;
  }
  histogram.counts[low]! += 1;
  histogram.sum += value;
  histogram.count += 1;
}

export class BreakdownCollector {
  private firstMs = Infinity;
  private readonly tokens = new Map<string, TokensOfModel>();
  private readonly usage = new Map<string, { input: Histogram; output: Histogram }>();
  private readonly builds = new Map<string, { target: string; result: BuildResult; histogram: Histogram }>();

  seen(ms: number | undefined): void {
    if (ms !== undefined && ms < this.firstMs) this.firstMs = ms;
  }

  token(model: string, usage: TokenUsage): void {
    let totals = this.tokens.get(model);
    if (!totals) this.tokens.set(model, (totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, unsplit: 0, costUsd: null }));
    const split = usage.input !== undefined || usage.output !== undefined || usage.cacheRead !== undefined || usage.cacheWrite !== undefined;
    if (split) {
      const input = usage.input ?? 0;
      const output = usage.output ?? 0;
      const cacheRead = usage.cacheRead ?? 0;
      const cacheWrite = usage.cacheWrite ?? 0;
      totals.input += input;
      totals.output += output;
      totals.cacheRead += cacheRead;
      totals.cacheWrite += cacheWrite;
      // A total larger than its parts (reasoning tokens, say) keeps the difference here, so types add up to the total.
      totals.unsplit += usage.total - (input + output + cacheRead + cacheWrite);
      let perRequest = this.usage.get(model);
      if (!perRequest) this.usage.set(model, (perRequest = { input: emptyHistogram(TOKEN_BUCKETS), output: emptyHistogram(TOKEN_BUCKETS) }));
      observe(perRequest.input, input + cacheRead + cacheWrite);
      observe(perRequest.output, output);
    } else {
      totals.unsplit += usage.total;
    }
    if (usage.costUsd !== undefined) totals.costUsd = (totals.costUsd ?? 0) + usage.costUsd;
  }

  build(target: string, status: unknown, seconds: number): void {
    const result: BuildResult = status === 'ok' ? 'success' : status === 'fail' ? 'failure' : 'unknown';
    const key = `${target}\u0000${result}`;
    let entry = this.builds.get(key);
    if (!entry) this.builds.set(key, (entry = { target, result, histogram: emptyHistogram(BUILD_BUCKETS) }));
    observe(entry.histogram, seconds);
  }

  result(): Breakdown {
    return {
      firstMs: Number.isFinite(this.firstMs) ? this.firstMs : null,
      tokensByModel: Object.fromEntries(this.tokens),
      tokenUsage: Object.fromEntries(this.usage),
      builds: [...this.builds.values()],
    };
  }
}
