/**
 * One metric entry: what `telemetry log <type> [value] [key=value ...]` writes.
 *
 *   {"timestamp":"2026-12-03T18:30:00.000Z","type":"build_times","data":{"value":42,"target":"web"}}
 *
 * The three known types check their values here, so a typo in a build script
 * fails loudly (exit 2) instead of writing a line the dashboard cannot use.
 */
import { TYPE_NAME, TYPE_NAME_HINT } from '../shared/config.ts';
import { usageError } from '../shared/errors.ts';

export type Scalar = string | number;
export type Fields = Record<string, Scalar>;

export interface MetricEntry {
  timestamp: string;
  type: string;
  /** Only on `ai_tokens`: the total, where the handoff's dashboard sums it. */
  tokens?: number;
  data: Fields;
}

const FIELD = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s;
/** Plain decimal numbers only: `007`, `0x1f` and `1e400` stay strings. */
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** Fields that are names, kept as strings even when they look like numbers (`model=4`). */
const TEXT_FIELDS = new Set(['model', 'target', 'status', 'command']);

/**
 * Turns `[value] [key=value ...]` into fields: the value becomes `value`, and
 * numeric text becomes a number.
 *
 * @example parseLogArgs(['42', 'target=web']) // { value: 42, target: 'web' }
 */
export function parseLogArgs(args: string[]): Fields {
  const fields: Fields = {};
  for (const arg of args) {
    const match = FIELD.exec(arg);
    const [key, text] = match ? [match[1]!, match[2]!] : ['value', arg];
    if (key in fields) {
      throw usageError(key === 'value' && !match
        ? `Unexpected extra value ${JSON.stringify(arg)}: a metric takes one value; give other details as key=value (for example target=web).`
        : `The field "${key}" is given twice; give it once.`);
    }
    if (text === '') throw usageError(`"${arg}" has no value; write ${key}=<value> or leave it out.`);
    fields[key] = TEXT_FIELDS.has(key) ? text : toScalar(text);
  }
  return fields;
}

/** Checks the fields for the type and stamps the entry with `now`. Throws a usage error for a bad value. */
export function makeEntry(type: string, fields: Fields, now: Date): MetricEntry {
  if (!TYPE_NAME.test(type)) {
    throw usageError(`The metric type ${JSON.stringify(type)} is not valid: use ${TYPE_NAME_HINT} (for example build_times or deploy:web).`);
  }
  const tokens = CHECKS[type]?.(fields);
  return { timestamp: now.toISOString(), type, ...(tokens === undefined ? {} : { tokens }), data: fields };
}

export function toScalar(text: string): Scalar {
  return NUMBER.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

// ---------------------------------------------------------------------------
// The known types. Each check throws a usage error that says what was expected.

/** Returns the token total for `ai_tokens`, nothing for the others. */
type Check = (fields: Fields) => number | undefined;

const CHECKS: Record<string, Check> = {
  ai_tokens(fields) {
    const example = 'for example: npm run telemetry log ai_tokens 1234 model=gpt-4o input=1000 output=234';
    for (const key of ['value', 'input', 'output', 'cache_read', 'cache_write']) {
      expect('ai_tokens', fields, key, isCount, `a whole number of tokens (0 or more); ${example}`);
    }
    expect('ai_tokens', fields, 'cost_usd', isAmount, 'a cost in US dollars such as 0.12');
    const parts = ['input', 'output', 'cache_read', 'cache_write'].reduce((sum, key) => sum + ((fields[key] as number | undefined) ?? 0), 0);
    const hasParts = ['input', 'output', 'cache_read', 'cache_write'].some((key) => key in fields);
    if (fields.value === undefined && !hasParts) throw usageError(`ai_tokens needs the number of tokens; ${example}`);
    if (fields.value !== undefined && parts > (fields.value as number)) {
      throw usageError(`ai_tokens: the parts (input, output, cache) add up to ${parts}, more than the total ${fields.value}; give the total as the value, or leave it out to use the sum.`);
    }
    return (fields.value as number | undefined) ?? parts;
  },

  build_times(fields) {
    const example = 'for example: npm run telemetry log build_times 42.5 target=web';
    if (fields.value === undefined) throw usageError(`build_times needs the build's duration in seconds; ${example}`);
    expect('build_times', fields, 'value', isAmount, `the build's duration in seconds (0 or more); ${example}`);
    expect('build_times', fields, 'status', (v) => v === 'ok' || v === 'fail', 'ok or fail');
    expect('build_times', fields, 'exit_code', Number.isInteger, 'a whole number');
    return undefined;
  },

  test_results(fields) {
    const example = 'for example: npm run telemetry log test_results pass, or: npm run telemetry log test_results passed=120 failed=2';
    expect('test_results', fields, 'value', (v) => v === 'pass' || v === 'fail', `pass or fail (or counts as passed=, failed=, skipped=); ${example}`);
    for (const key of ['passed', 'failed', 'skipped']) expect('test_results', fields, key, isCount, 'a whole number of tests (0 or more)');
    expect('test_results', fields, 'duration', isAmount, 'the run time in seconds (0 or more)');
    const hasCounts = ['passed', 'failed', 'skipped'].some((key) => key in fields);
    if (fields.value === undefined && !hasCounts) throw usageError(`test_results needs an outcome; ${example}`);
    if (fields.value === 'pass' && typeof fields.failed === 'number' && fields.failed > 0) {
      throw usageError(`test_results: "pass" contradicts failed=${fields.failed}; log fail, or correct the counts.`);
    }
    return undefined;
  },
};

function expect(type: string, fields: Fields, key: string, isValid: (value: Scalar) => boolean, expected: string): void {
  const value = fields[key];
  if (value === undefined || isValid(value)) return;
  throw usageError(`${type}: invalid ${key} ${JSON.stringify(value)}, expected ${expected}.`);
}

function isCount(value: Scalar): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isAmount(value: Scalar): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
