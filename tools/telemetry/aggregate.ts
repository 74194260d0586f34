/**
 * Aggregation: parsed log records in, one `Summary` out. No I/O here.
 *
 * Records arrive one at a time (`add`), so memory holds the running totals,
 * not the logs: only build durations are kept, as numbers, for percentiles.
 * The summary is the contract behind `--json`, the console dashboard, the
 * alerts and the exporters.
 */
import type { Config } from '../shared/config.ts';
import { round } from '../shared/format.ts';
import { localDate } from './streams.ts';
import { BreakdownCollector, type Breakdown } from './breakdown.ts';
import { isAmongSlowest, slowest, summarizeBuilds, type BuildSummary, type SlowBuild, type TargetStats } from './builds.ts';
import { SeenPairs } from './seen.ts';
import { recordTime } from './timestamps.ts';
import { asObject, MALFORMED, tokenUsage } from './tokens.ts';

export interface Summary {
  generatedAt: string;
  /** The `--since` cut-off, or null for everything. */
  since: string | null;
  tokens: {
    total: number;
    /** Not read from cache. `input + output + cacheRead + cacheWrite` equals `splitKnown`. */
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
    /** Tokens of records that say how they split; less than `total` when some records give only a total. */
    splitKnown: number;
    /** Null when no record gives a cost. */
    costUsd: number | null;
    byModel: Record<string, number>;
    /** Local date (YYYY-MM-DD) to tokens. */
    byDay: Record<string, number>;
    records: number;
    /** Transcript lines that repeat a response already counted. */
    duplicates: number;
    /** Tokens within the budget alert's window, which ignores `--since`. */
    budget: { used: number; threshold: number; window: number | null; percent: number };
  };
  builds: BuildSummary;
  tests: {
    runs: number;
    failedRuns: number;
    /** Share of runs that passed, 0 to 1; null with no runs. */
    passRate: number | null;
    passed: number;
    failed: number;
    skipped: number;
    lastFailure: { timestamp: string | null; failed: number | null; target: string | null } | null;
  };
  metrics: { total: number; byType: Record<string, number>; files: string[] };
  skipped: { total: number; byFile: Record<string, number> };
}

export interface AggregateOptions {
  now: Date;
  since?: Date;
  config: Config;
}

type Json = Record<string, unknown>;
/** What became of a record: counted, valid but not counted (a transcript's user line, a repeat), or skipped. */
type Outcome = 'counted' | 'ignored' | 'malformed';

export class Aggregator {
  private readonly since: number;
  private readonly budgetFrom: number;
  private readonly buildThreshold: number;
  private readonly options: AggregateOptions;

  private readonly tokens: Summary['tokens'];
  private costUsd = 0;
  private hasCost = false;
  private readonly responses = new SeenPairs();
  private readonly dayOfQuarterHour = new Map<number, string>();

  private readonly buildSeconds: number[] = [];
  private lastBuild: { target: string | null; seconds: number; ms: number } | null = null;
  private readonly targets = new Map<string, TargetStats>();
  private worstBuilds: SlowBuild[] = [];

  private readonly tests: Summary['tests'] = { runs: 0, failedRuns: 0, passRate: null, passed: 0, failed: 0, skipped: 0, lastFailure: null };
  private lastFailureMs = -Infinity;
  private readonly byType = new Map<string, number>();
  private readonly skipped: Summary['skipped'] = { total: 0, byFile: {} };
  private readonly detail = new BreakdownCollector();

  constructor(options: AggregateOptions) {
    this.options = options;
    const { now, since, config } = options;
    const budget = config.telemetry.alerts.token_budget_exceeded;
    this.since = since?.getTime() ?? -Infinity;
    this.budgetFrom = budget.window === undefined ? -Infinity : now.getTime() - budget.window;
    this.buildThreshold = config.telemetry.alerts.build_time_exceeded.threshold_seconds;
    this.tokens = {
      total: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, splitKnown: 0, costUsd: null,
      byModel: {}, byDay: {}, records: 0, duplicates: 0,
      budget: { used: 0, threshold: budget.threshold, window: budget.window ?? null, percent: 0 },
    };
  }

  /** Counts a line that is not a usable record (bad JSON, torn, wrong types). */
  skip(file: string): void {
    this.skipped.total += 1;
    this.skipped.byFile[file] = (this.skipped.byFile[file] ?? 0) + 1;
  }

  /** Adds one parsed line from `stream` (a metric name, or `metrics`). */
  add(value: unknown, stream: string, file: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.skip(file);
    const record = value as Json;
    const ms = recordTime(record);
    if (Number.isNaN(ms)) return this.skip(file);
    const inView = ms === undefined ? this.since === -Infinity : ms >= this.since;

    // In the token log every line is a token record, whatever its own `type` says
    // (assistant transcripts use `type` for the speaker).
    const kind = stream === 'ai_tokens' ? 'ai_tokens' : typeof record.type === 'string' ? record.type : stream;
    let result: Outcome = 'counted';
    if (kind === 'ai_tokens') result = this.addTokens(record, ms, inView);
    else if (kind === 'build_times') result = this.addBuild(record, ms, inView);
    else if (kind === 'test_results') result = this.addTest(record, ms, inView);
    if (result === 'malformed') return this.skip(file);
    if (result === 'counted' && inView) {
      this.byType.set(kind, (this.byType.get(kind) ?? 0) + 1);
      this.detail.seen(ms);
    }
  }

  /** The finer figures for exporters, from the same records as the summary. */
  breakdown(): Breakdown {
    return this.detail.result();
  }

  summary(files: string[]): Summary {
    const { now, since } = this.options;
    const tokens = { ...this.tokens, costUsd: this.hasCost ? round(this.costUsd, 6) : null };
    tokens.budget = { ...tokens.budget, percent: round((tokens.budget.used / tokens.budget.threshold) * 100, 1) };
    const lastFailure = this.tests.lastFailure && { ...this.tests.lastFailure, timestamp: isoOrNull(this.lastFailureMs) };
    const passRate = this.tests.runs === 0 ? null : round((this.tests.runs - this.tests.failedRuns) / this.tests.runs, 4);
    const tests = { ...this.tests, passRate, lastFailure };
    const byType = Object.fromEntries(this.byType);
    const total = Object.values(byType).reduce((a, b) => a + b, 0);
    return {
      generatedAt: now.toISOString(),
      since: since ? since.toISOString() : null,
      tokens,
      builds: summarizeBuilds(this.buildSeconds, this.lastBuild, this.targets, this.worstBuilds, this.buildThreshold),
      tests,
      metrics: { total, byType, files },
      skipped: { total: this.skipped.total, byFile: { ...this.skipped.byFile } },
    };
  }

  // -------------------------------------------------------------------------

  private addTokens(record: Json, ms: number | undefined, inView: boolean): Outcome {
    const usage = tokenUsage(record);
    if (usage === MALFORMED) return 'malformed';
    if (usage === undefined) return 'ignored'; // a transcript's user line, a summary: nothing to count
    if (usage.messageId !== undefined && !this.responses.add(usage.messageId, usage.requestId ?? '')) {
      if (inView) this.tokens.duplicates += 1;
      return 'ignored';
    }
    if (ms === undefined ? this.budgetFrom === -Infinity : ms >= this.budgetFrom) this.tokens.budget.used += usage.total;
    if (!inView) return 'counted';

    const t = this.tokens;
    t.records += 1;
    t.total += usage.total;
    const { input = 0, output = 0, cacheRead = 0, cacheWrite = 0 } = usage;
    if (usage.input !== undefined || usage.output !== undefined || usage.cacheRead !== undefined || usage.cacheWrite !== undefined) {
      t.input += input;
      t.output += output;
      t.cacheRead += cacheRead;
      t.cacheWrite += cacheWrite;
      t.splitKnown += input + output + cacheRead + cacheWrite;
    }
    if (usage.costUsd !== undefined) {
      this.costUsd += usage.costUsd;
      this.hasCost = true;
    }
    const model = usage.model ?? '(unknown)';
    t.byModel[model] = (t.byModel[model] ?? 0) + usage.total;
    this.detail.token(model, usage);
    if (ms !== undefined) {
      const day = this.localDay(ms);
      t.byDay[day] = (t.byDay[day] ?? 0) + usage.total;
    }
    return 'counted';
  }

  private addBuild(record: Json, ms: number | undefined, inView: boolean): Outcome {
    const data = asObject(record.data);
    const seconds = toNumber(data?.value);
    if (seconds === undefined || seconds < 0) return 'malformed';
    if (!inView) return 'counted';
    const target = typeof data?.target === 'string' ? data.target : null;
    this.buildSeconds.push(seconds);
    const when = ms ?? -Infinity;
    if (this.lastBuild === null || when >= this.lastBuild.ms) this.lastBuild = { target, seconds, ms: when };
    const key = target ?? '(no target)';
    const stats = this.targets.get(key) ?? { target: key, count: 0, totalSeconds: 0, maxSeconds: 0 };
    stats.count += 1;
    stats.totalSeconds += seconds;
    stats.maxSeconds = Math.max(stats.maxSeconds, seconds);
    this.targets.set(key, stats);
    this.detail.build(key, data?.status, seconds);
    if (seconds > this.buildThreshold && isAmongSlowest(this.worstBuilds, seconds)) {
      this.worstBuilds = slowest([...this.worstBuilds, { target, seconds, timestamp: isoOrNull(ms) }]);
    }
    return 'counted';
  }

  private addTest(record: Json, ms: number | undefined, inView: boolean): Outcome {
    const data = asObject(record.data) ?? {};
    const value = data.value;
    if (value !== undefined && value !== 'pass' && value !== 'fail') return 'malformed';
    const counts: number[] = [];
    for (const key of ['passed', 'failed', 'skipped']) {
      const count = data[key] === undefined ? 0 : toNumber(data[key]);
      if (count === undefined || !Number.isSafeInteger(count) || count < 0) return 'malformed';
      counts.push(count);
    }
    if (value === undefined && data.passed === undefined && data.failed === undefined && data.skipped === undefined) return 'malformed';
    if (!inView) return 'counted';

    const [passed = 0, failed = 0, skipped = 0] = counts;
    const outcome = value ?? (failed > 0 ? 'fail' : 'pass');
    const t = this.tests;
    t.runs += 1;
    t.passed += passed;
    t.failed += failed;
    t.skipped += skipped;
    if (outcome === 'fail') {
      t.failedRuns += 1;
      const when = ms ?? -Infinity;
      if (when >= this.lastFailureMs) {
        // The time is turned into text once, in summary(): failures can be many.
        this.lastFailureMs = when;
        const target = typeof data.target === 'string' ? data.target : typeof data.name === 'string' ? data.name : null;
        t.lastFailure = { timestamp: null, failed: data.failed === undefined ? null : failed, target };
      }
    }
    return 'counted';
  }

  /** Local dates, cached per quarter hour: every time zone's day starts on one. */
  private localDay(ms: number): string {
    const slot = Math.floor(ms / 900_000);
    let day = this.dayOfQuarterHour.get(slot);
    if (day === undefined) {
      day = localDate(new Date(ms));
      this.dayOfQuarterHour.set(slot, day);
    }
    return day;
  }
}

/** Aggregates records already in memory: for tests and small inputs. */
export function aggregate(records: Iterable<{ record: unknown; stream: string; file: string }>, options: AggregateOptions, files: string[] = []): Summary {
  const aggregator = new Aggregator(options);
  for (const { record, stream, file } of records) aggregator.add(record, stream, file);
  return aggregator.summary(files);
}

// ---------------------------------------------------------------------------

function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}


function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}
