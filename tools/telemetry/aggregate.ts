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
import { slowest, summarizeBuilds, type BuildSummary, type SlowBuild, type TargetStats } from './builds.ts';
import { MALFORMED, tokenUsage } from './tokens.ts';

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
  private readonly responses = new Set<string>();
  private readonly dayOfQuarterHour = new Map<number, string>();

  private readonly buildSeconds: number[] = [];
  private lastBuild: { target: string | null; seconds: number; ms: number } | null = null;
  private readonly targets = new Map<string, TargetStats>();
  private worstBuilds: SlowBuild[] = [];

  private readonly tests: Summary['tests'] = { runs: 0, failedRuns: 0, passRate: null, passed: 0, failed: 0, skipped: 0, lastFailure: null };
  private lastFailureMs = -Infinity;
  private readonly byType: Record<string, number> = {};
  private readonly skipped: Summary['skipped'] = { total: 0, byFile: {} };

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
    const ms = timestampOf(record);
    if (ms === MALFORMED) return this.skip(file);
    const inView = ms === undefined ? this.since === -Infinity : ms >= this.since;

    // In the token log every line is a token record, whatever its own `type` says
    // (assistant transcripts use `type` for the speaker).
    const kind = stream === 'ai_tokens' ? 'ai_tokens' : typeof record.type === 'string' ? record.type : stream;
    let result: Outcome = 'counted';
    if (kind === 'ai_tokens') result = this.addTokens(record, ms, inView);
    else if (kind === 'build_times') result = this.addBuild(record, ms, inView);
    else if (kind === 'test_results') result = this.addTest(record, ms, inView);
    if (result === 'malformed') return this.skip(file);
    if (result === 'counted' && inView) this.byType[kind] = (this.byType[kind] ?? 0) + 1;
  }

  summary(files: string[]): Summary {
    const { now, since } = this.options;
    const tokens = { ...this.tokens, costUsd: this.hasCost ? round(this.costUsd, 6) : null };
    tokens.budget = { ...tokens.budget, percent: round((tokens.budget.used / tokens.budget.threshold) * 100, 1) };
    const tests = { ...this.tests, passRate: this.tests.runs === 0 ? null : round((this.tests.runs - this.tests.failedRuns) / this.tests.runs, 4) };
    const total = Object.values(this.byType).reduce((a, b) => a + b, 0);
    return {
      generatedAt: now.toISOString(),
      since: since ? since.toISOString() : null,
      tokens,
      builds: summarizeBuilds(this.buildSeconds, this.lastBuild, this.targets, this.worstBuilds, this.buildThreshold),
      tests,
      metrics: { total, byType: { ...this.byType }, files },
      skipped: { total: this.skipped.total, byFile: { ...this.skipped.byFile } },
    };
  }

  // -------------------------------------------------------------------------

  private addTokens(record: Json, ms: number | undefined, inView: boolean): Outcome {
    const usage = tokenUsage(record);
    if (usage === MALFORMED) return 'malformed';
    if (usage === undefined) return 'ignored'; // a transcript's user line, a summary: nothing to count
    if (usage.responseId !== undefined) {
      if (this.responses.has(usage.responseId)) {
        if (inView) this.tokens.duplicates += 1;
        return 'ignored';
      }
      this.responses.add(usage.responseId);
    }
    if (ms === undefined ? this.budgetFrom === -Infinity : ms >= this.budgetFrom) this.tokens.budget.used += usage.total;
    if (!inView) return 'counted';

    const t = this.tokens;
    t.records += 1;
    t.total += usage.total;
    const parts = [usage.input, usage.output, usage.cacheRead, usage.cacheWrite];
    if (parts.some((part) => part !== undefined)) {
      t.input += usage.input ?? 0;
      t.output += usage.output ?? 0;
      t.cacheRead += usage.cacheRead ?? 0;
      t.cacheWrite += usage.cacheWrite ?? 0;
      t.splitKnown += parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
    }
    if (usage.costUsd !== undefined) {
      this.costUsd += usage.costUsd;
      this.hasCost = true;
    }
    const model = usage.model ?? '(unknown)';
    t.byModel[model] = (t.byModel[model] ?? 0) + usage.total;
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
    if (seconds > this.buildThreshold) {
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
        this.lastFailureMs = when;
        const target = typeof data.target === 'string' ? data.target : typeof data.name === 'string' ? data.name : null;
        t.lastFailure = { timestamp: isoOrNull(ms), failed: data.failed === undefined ? null : failed, target };
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

const TIME_KEYS = ['timestamp', 'time', 'ts', 'created_at', 'createdAt'];

/** Milliseconds since the epoch; undefined when the record has no time; MALFORMED when it has a bad one. */
function timestampOf(record: Json): number | undefined | typeof MALFORMED {
  for (const key of TIME_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? MALFORMED : ms;
    }
    // Epoch numbers: seconds below 1e11 (the year 5138), milliseconds above.
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value;
    return MALFORMED;
  }
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
