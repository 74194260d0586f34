/**
 * The one config both tools share: `.config/telemetry/config.yaml`.
 *
 * `loadConfig` reads the file (or uses `DEFAULTS` when there is none), checks
 * every key in one pass and either returns a typed config with any warnings,
 * or throws one usage error listing every problem as `file:line:col: key: ...`.
 */
import { readFileSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { Context } from './context.ts';
import { DURATION_HINT, parseDuration } from './duration.ts';
import { describeSystemError, usageError } from './errors.ts';
import { HTTP_URL_HINT, isHttpUrl, JOB_NAME, JOB_NAME_HINT } from './urls.ts';
import { boolean, integer, list, object, oneOf, optional, parsed, Problems, record, required, string, type Problem } from './yaml-fields.ts';

export const CONFIG_PATH = '.config/telemetry/config.yaml';

export const ROTATIONS = ['daily', 'none'] as const;
export const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export const CHANNELS = ['console', 'none'] as const;
/** Metric type names: they name log streams and Prometheus labels, so keep them plain. */
export const TYPE_NAME = /^[A-Za-z0-9_.:-]+$/;
export const TYPE_NAME_HINT = 'letters, digits and _ . : -';

export type Level = (typeof LEVELS)[number];
export type Channel = (typeof CHANNELS)[number];

export interface MetricConfig {
  enabled: boolean;
  log_file: string;
}

export interface TokenBudgetAlert {
  threshold: number;
  channel: Channel;
  /** Only tokens this recent count; written like `24h` in YAML, held here in milliseconds. */
  window?: number;
}

export interface BuildTimeAlert {
  threshold_seconds: number;
  channel: Channel;
}

export interface ServiceConfig {
  name: string;
  url: string;
  timeout_ms?: number;
  expect_status?: number;
  optional: boolean;
}

export interface Config {
  version: string;
  telemetry: {
    enabled: boolean;
    destinations: {
      file: { enabled: boolean; path: string; rotation: (typeof ROTATIONS)[number]; retention_days: number };
      console: { enabled: boolean; level: Level };
      /** `telemetry push` targets, off until configured. */
      pushgateway: { enabled: boolean; url: string; job: string };
      otlp: { enabled: boolean; url: string };
    };
    /** `ai_tokens`, `build_times` and `test_results` always exist; users may add their own. */
    metrics: Record<string, MetricConfig>;
    alerts: { token_budget_exceeded: TokenBudgetAlert; build_time_exceeded: BuildTimeAlert };
  };
  health: { timeout_ms: number; services: ServiceConfig[] };
}

/** The handoff's config, plus the health section: what you get with no config file. */
export const DEFAULTS: Config = {
  version: '1.0',
  telemetry: {
    enabled: true,
    destinations: {
      file: { enabled: true, path: '.logs/', rotation: 'daily', retention_days: 30 },
      console: { enabled: true, level: 'info' },
      pushgateway: { enabled: false, url: 'http://localhost:9091', job: 'monorepo-telemetry' },
      otlp: { enabled: false, url: 'http://localhost:4318/v1/metrics' },
    },
    metrics: {
      ai_tokens: { enabled: true, log_file: '.config/ai/logs/token-usage.jsonl' },
      build_times: { enabled: true, log_file: '.logs/build-metrics.jsonl' },
      test_results: { enabled: true, log_file: '.logs/test-metrics.jsonl' },
    },
    alerts: {
      token_budget_exceeded: { threshold: 100_000, channel: 'console' },
      build_time_exceeded: { threshold_seconds: 300, channel: 'console' },
    },
  },
  health: {
    timeout_ms: 2000,
    services: [
      { name: 'AI Proxy', url: 'http://localhost:4000/health', optional: false },
      { name: 'REPZ API', url: 'http://localhost:3000/api/health', optional: false },
    ],
  },
};

const httpUrl = parsed(HTTP_URL_HINT, (text) => (isHttpUrl(text) ? text : undefined));

const metric = object<MetricConfig>({ enabled: boolean(), log_file: required(string('a file path as a string')) });

const readConfig = object<Config>({
  version: string(),
  telemetry: object<Config['telemetry']>({
    enabled: boolean(),
    destinations: object({
      file: object({
        enabled: boolean(),
        path: string('a directory path as a string'),
        rotation: oneOf(ROTATIONS),
        retention_days: integer({ min: 1, unit: 'days' }),
      }),
      console: object({ enabled: boolean(), level: oneOf(LEVELS) }),
      pushgateway: object({ enabled: boolean(), url: httpUrl, job: parsed(JOB_NAME_HINT, (text) => (JOB_NAME.test(text) ? text : undefined)) }),
      otlp: object({ enabled: boolean(), url: httpUrl }),
    }),
    metrics: record({
      item: metric,
      // A metric the user adds must name its own log file.
      fallbackFor: () => ({ enabled: true, log_file: undefined as unknown as string }),
      name: { pattern: TYPE_NAME, expected: TYPE_NAME_HINT },
    }),
    alerts: object<Config['telemetry']['alerts']>({
      token_budget_exceeded: object<TokenBudgetAlert>({
        threshold: integer({ min: 1, unit: 'tokens' }),
        channel: oneOf(CHANNELS),
        window: optional(parsed(DURATION_HINT, parseDuration)),
      }),
      build_time_exceeded: object<BuildTimeAlert>({ threshold_seconds: integer({ min: 1, unit: 'seconds' }), channel: oneOf(CHANNELS) }),
    }),
  }),
  health: object({
    timeout_ms: integer({ min: 1, max: 600_000, unit: 'milliseconds' }),
    services: list(
      object<ServiceConfig>({
        name: required(string()),
        url: required(httpUrl),
        timeout_ms: optional(integer({ min: 1, max: 600_000, unit: 'milliseconds' })),
        expect_status: optional(integer({ min: 100, max: 599, unit: 'HTTP status' })),
        optional: boolean(),
      }),
      { name: undefined as unknown as string, url: undefined as unknown as string, optional: false },
    ),
  }),
});

export interface LoadedConfig {
  config: Config;
  /** Formatted `file:line:col: warning: ...` lines, for stderr. */
  warnings: string[];
  /** The config file that was read, or undefined when the defaults were used. */
  file: string | undefined;
}

/** Reads and checks `<cwd>/.config/telemetry/config.yaml`; throws a usage error listing every problem. */
export function loadConfig(cwd: string): LoadedConfig {
  const file = join(cwd, CONFIG_PATH);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: DEFAULTS, warnings: [], file: undefined };
    throw usageError(`${CONFIG_PATH}: cannot read the config: ${describeSystemError(error)}. Fix it, or remove it to use the built-in defaults.`);
  }
  const { config, problems } = parseConfig(source);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    throw usageError(`${errors.map((p) => p.text).join('\n')}\n${CONFIG_PATH} has ${count}; fix ${errors.length === 1 ? 'it' : 'them'} and run again (see "Config reference" in README.md).`);
  }
  return { config, warnings: problems.map((p) => p.text), file };
}

/** `loadConfig` for a command: warnings go to stderr, and the config is returned. */
export function loadConfigAndWarn(ctx: Pick<Context, 'cwd' | 'stderr'>): Config {
  const { config, warnings } = loadConfig(ctx.cwd);
  for (const warning of warnings) ctx.stderr.write(`${warning}\n`);
  return config;
}

export interface LocatedProblem extends Problem {
  line: number;
  col: number;
  /** `file:line:col: key.path: message`, ready to print. */
  text: string;
}

/** Parses and checks config text: the pure heart of `loadConfig`, for tests. */
export function parseConfig(source: string, fileName = CONFIG_PATH): { config: Config; problems: LocatedProblem[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys is off so that our own check reports duplicates with their key path.
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const locate = (problem: Problem): LocatedProblem => {
    const { line, col } = lineCounter.linePos(problem.offset);
    const where = `${fileName}:${line}:${col}`;
    const label = problem.severity === 'warning' ? 'warning: ' : '';
    return { ...problem, line, col, text: `${where}: ${label}${problem.path ? `${problem.path}: ` : ''}${problem.message}` };
  };

  if (doc.errors.length > 0) {
    // A broken document would only add noise to the schema checks: report the syntax alone.
    const syntax = doc.errors.map((error): Problem => ({
      severity: 'error',
      offset: error.pos[0],
      path: '',
      message: `YAML syntax error: ${error.message.split('\n')[0]} (check the indentation and quoting here)`,
    }));
    return { config: DEFAULTS, problems: syntax.map(locate) };
  }

  const problems = new Problems((offset) => lineCounter.linePos(offset).line);
  const config = readConfig((doc.contents as Node | null) ?? null, '', problems, DEFAULTS);
  checkAcrossFields(config, problems);
  const inFileOrder = [...problems.list].sort((a, b) => a.offset - b.offset);
  return { config, problems: inFileOrder.map(locate) };
}

/** Rules that involve more than one key. */
function checkAcrossFields(config: Config, problems: Problems): void {
  // Two streams in one file would be read twice by the dashboard and counted double.
  const generic = normalize(join(config.telemetry.destinations.file.path, 'metrics.jsonl'));
  const owners = new Map<string, string>([[resolve('/', generic), 'the generic metrics file']]);
  for (const [name, { log_file }] of Object.entries(config.telemetry.metrics)) {
    if (log_file === undefined) continue; // already reported as missing
    const key = resolve('/', normalize(log_file));
    const owner = owners.get(key);
    if (owner) problems.errorAt(`telemetry.metrics.${name}.log_file`, `${JSON.stringify(log_file)} is already used by ${owner}, give each metric its own file`);
    else owners.set(key, `telemetry.metrics.${name}`);
  }

  const names = new Set<string>();
  config.health.services.forEach((service, index) => {
    if (service.name === undefined) return;
    if (names.has(service.name)) problems.errorAt(`health.services[${index}]`, `the name ${JSON.stringify(service.name)} is used twice, give each service its own name`);
    names.add(service.name);
  });
}
