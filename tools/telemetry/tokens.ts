/**
 * Token usage from the many shapes AI tools log (see REFERENCE.md), turned
 * into one shape whose parts add up: `input` (not from cache) + `output` +
 * `cacheRead` + `cacheWrite`. A record's total is counted once: when it gives
 * a total and parts, the total wins.
 */

export interface TokenUsage {
  total: number;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  costUsd?: number;
  model?: string;
  /** Assistant transcripts repeat one response's usage on several lines; this identifies the response. */
  responseId?: string;
}

/** The record is not usable: a token field holds something that is not a count. */
export const MALFORMED = 'malformed';

type Json = Record<string, unknown>;
type Found = number | undefined | typeof MALFORMED;

/**
 * @returns the usage, `undefined` when the record carries no token counts at
 *   all (a transcript's user line), or `MALFORMED`.
 */
export function tokenUsage(record: Json): TokenUsage | undefined | typeof MALFORMED {
  const message = asObject(record.message);
  const usage = asObject(message?.usage) ?? asObject(record.usage);
  const gemini = asObject(record.usageMetadata);
  const data = asObject(record.data);

  let counts: Counts | typeof MALFORMED | undefined;
  if (usage) counts = fromUsageObject(usage);
  else if (gemini) counts = fromGemini(gemini);
  else counts = fromFlat(record, data);
  if (counts === MALFORMED) return MALFORMED;
  if (counts === undefined) return undefined;

  const cost = pick([record, data, message], ['cost_usd', 'costUSD', 'cost'], isAmount);
  if (cost === MALFORMED) return MALFORMED;
  const model = firstString(message?.model, record.model, data?.model, record.modelVersion);
  const responseId = typeof message?.id === 'string' ? `${message.id}\u0000${typeof record.requestId === 'string' ? record.requestId : ''}` : undefined;
  return withDefined({ ...counts, costUsd: cost, model, responseId });
}

// ---------------------------------------------------------------------------

type Counts = Pick<TokenUsage, 'total' | 'input' | 'output' | 'cacheRead' | 'cacheWrite'>;

/** OpenAI (`prompt_tokens`, cached tokens a subset of the prompt) or Anthropic (`input_tokens`, cache on top). */
function fromUsageObject(usage: Json): Counts | typeof MALFORMED | undefined {
  const total = pick([usage], ['total_tokens'], isCount);
  const output = pick([usage], ['completion_tokens', 'output_tokens'], isCount);
  const prompt = pick([usage], ['prompt_tokens'], isCount);
  if ('prompt_tokens' in usage || 'completion_tokens' in usage || 'input_tokens_details' in usage || 'prompt_tokens_details' in usage) {
    // OpenAI: Chat Completions (prompt_/completion_tokens) or Responses (input_/output_tokens).
    const inputAll = prompt ?? pick([usage], ['input_tokens'], isCount);
    const details = asObject(usage.prompt_tokens_details) ?? asObject(usage.input_tokens_details);
    const cached = details ? pick([details], ['cached_tokens'], isCount) : undefined;
    return subsetCache(total, inputAll, output, cached);
  }
  const input = pick([usage], ['input_tokens'], isCount);
  const cacheWrite = pick([usage], ['cache_creation_input_tokens'], isCount);
  const cacheRead = pick([usage], ['cache_read_input_tokens'], isCount);
  return additive(total, { input, output, cacheRead, cacheWrite });
}

/** Gemini `usageMetadata`: cached content is part of the prompt count. */
function fromGemini(meta: Json): Counts | typeof MALFORMED | undefined {
  const total = pick([meta], ['totalTokenCount'], isCount);
  const prompt = pick([meta], ['promptTokenCount'], isCount);
  const candidates = pick([meta], ['candidatesTokenCount'], isCount);
  const thoughts = pick([meta], ['thoughtsTokenCount'], isCount);
  const cached = pick([meta], ['cachedContentTokenCount'], isCount);
  if (candidates === MALFORMED || thoughts === MALFORMED) return MALFORMED;
  const output = candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0);
  return subsetCache(total, prompt, output, cached);
}

/** Top-level fields in snake or camel case, or inside `data` (the lines `telemetry log ai_tokens` writes). */
function fromFlat(record: Json, data: Json | undefined): Counts | typeof MALFORMED | undefined {
  const places = [record, data];
  const ownValue = record.type === 'ai_tokens' && data ? pick([data], ['value'], isCount) : undefined;
  const total = pick(places, ['tokens', 'total_tokens', 'totalTokens', 'total'], isCount) ?? ownValue;
  // The short names (`input`, `cache_read`) are ours, inside `data`; at the top level
  // other tools may use `input` for the prompt text.
  const input = pick(places, ['input_tokens', 'inputTokens', 'prompt_tokens', 'prompt'], isCount) ?? pick([data], ['input'], isCount);
  const output = pick(places, ['output_tokens', 'outputTokens', 'completion_tokens', 'completion'], isCount) ?? pick([data], ['output'], isCount);
  const cacheWrite = pick(places, ['cache_creation_tokens', 'cache_creation_input_tokens', 'cacheCreationInputTokens', 'cacheCreationTokens'], isCount) ?? pick([data], ['cache_write'], isCount);
  const cacheRead = pick(places, ['cache_read_tokens', 'cache_read_input_tokens', 'cacheReadInputTokens', 'cacheReadTokens'], isCount) ?? pick([data], ['cache_read'], isCount);
  return additive(total, { input, output, cacheRead, cacheWrite });
}

/** Parts that add up to the total; the given total wins over their sum. */
function additive(total: Found, parts: Record<'input' | 'output' | 'cacheRead' | 'cacheWrite', Found>): Counts | typeof MALFORMED | undefined {
  const values = Object.values(parts);
  if (total === MALFORMED || values.includes(MALFORMED)) return MALFORMED;
  const known = values.filter((v): v is number => v !== undefined);
  if (total === undefined && known.length === 0) return undefined;
  const sum = known.reduce((a, b) => a + b, 0);
  return { total: total ?? sum, ...(parts as Record<string, number | undefined>) };
}

/** Cached tokens counted inside the input figure: split them out so parts still add up. */
function subsetCache(total: Found, inputAll: Found, output: Found, cached: Found): Counts | typeof MALFORMED | undefined {
  if (cached !== undefined && cached !== MALFORMED && typeof inputAll === 'number' && cached > inputAll) return MALFORMED;
  const input = typeof inputAll === 'number' && typeof cached === 'number' ? inputAll - cached : inputAll;
  return additive(total, { input, output, cacheRead: cached, cacheWrite: undefined });
}

/** The first of `keys` present in any of `places`; MALFORMED when present but invalid. */
function pick(places: (Json | undefined)[], keys: string[], valid: (value: number) => boolean): Found {
  for (const place of places) {
    if (!place) continue;
    for (const key of keys) {
      const raw = place[key];
      if (raw === undefined || raw === null) continue;
      const value = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      return typeof value === 'number' && valid(value) ? value : MALFORMED;
    }
  }
  return undefined;
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isAmount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function withDefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
