/**
 * Token usage from the many shapes AI tools log (see REFERENCE.md), turned
 * into one shape whose parts add up: `input` (not from cache) + `output` +
 * `cacheRead` + `cacheWrite`. A record's total is counted once: when it gives
 * a total and parts, the total wins.
 *
 * This runs once per line of logs that reach gigabytes, so fields are read
 * with plain property names (`a ?? b ?? c`), which V8 makes fast for records
 * of one shape, rather than looked up through lists of key names.
 */

export interface TokenUsage {
  total: number;
  input: number | undefined;
  output: number | undefined;
  cacheRead: number | undefined;
  cacheWrite: number | undefined;
  costUsd: number | undefined;
  model: string | undefined;
  /** Assistant transcripts repeat one response's usage on several lines; these identify the response. */
  messageId: string | undefined;
  requestId: string | undefined;
}

/** The record is not usable: a token field holds something that is not a count. */
export const MALFORMED = 'malformed';
type Malformed = typeof MALFORMED;

// Loose on purpose: any parsed JSON value may sit behind any key.
type Json = Record<string, any>;
type Counts = Pick<TokenUsage, 'total' | 'input' | 'output' | 'cacheRead' | 'cacheWrite'>;

/**
 * @returns the usage, `undefined` when the record carries no token counts at
 *   all (a transcript's user line), or `MALFORMED`.
 */
export function tokenUsage(record: Json): TokenUsage | undefined | Malformed {
  const message = asObject(record.message);
  const usage = asObject(message?.usage) ?? asObject(record.usage);
  const data = asObject(record.data);
  const counts = usage ? fromUsageObject(usage) : record.usageMetadata !== undefined ? fromGemini(asObject(record.usageMetadata)) : fromFlat(record, data);
  if (counts === undefined || counts === MALFORMED) return counts;

  const costUsd = amount(record.cost_usd ?? record.costUSD ?? record.cost ?? data?.cost_usd ?? message?.cost_usd);
  if (costUsd === MALFORMED) return MALFORMED;
  const model = text(message?.model) ?? text(record.model) ?? text(data?.model) ?? text(record.modelVersion);
  const messageId = text(message?.id);
  const requestId = text(record.requestId);
  return { total: counts.total, input: counts.input, output: counts.output, cacheRead: counts.cacheRead, cacheWrite: counts.cacheWrite, costUsd, model, messageId, requestId };
}

// ---------------------------------------------------------------------------

/** OpenAI (cached tokens a subset of the prompt) or Anthropic (cache on top of input). */
function fromUsageObject(usage: Json): Counts | Malformed | undefined {
  const details = asObject(usage.prompt_tokens_details) ?? asObject(usage.input_tokens_details);
  if (usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined || details !== undefined) {
    // OpenAI: Chat Completions (prompt_/completion_tokens) or Responses (input_/output_tokens).
    const output = count(usage.completion_tokens ?? usage.output_tokens);
    return subsetCache(count(usage.total_tokens), count(usage.prompt_tokens ?? usage.input_tokens), output, count(details?.cached_tokens));
  }
  return additive(
    count(usage.total_tokens),
    count(usage.input_tokens),
    count(usage.output_tokens),
    count(usage.cache_read_input_tokens),
    count(usage.cache_creation_input_tokens),
  );
}

/** Gemini `usageMetadata`: cached content is part of the prompt; thoughts are output. */
function fromGemini(meta: Json | undefined): Counts | Malformed | undefined {
  if (!meta) return MALFORMED;
  const candidates = count(meta.candidatesTokenCount);
  const thoughts = count(meta.thoughtsTokenCount);
  if (candidates === MALFORMED || thoughts === MALFORMED) return MALFORMED;
  const output = candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0);
  return subsetCache(count(meta.totalTokenCount), count(meta.promptTokenCount), output, count(meta.cachedContentTokenCount));
}

/**
 * Top-level fields in snake or camel case, or inside `data` (the lines
 * `telemetry log ai_tokens` writes). The short names (`input`, `cache_read`)
 * are only read inside `data`: at the top level other tools use `input` for the prompt text.
 */
function fromFlat(r: Json, data: Json | undefined): Counts | Malformed | undefined {
  return additive(
    count(r.tokens ?? r.total_tokens ?? r.totalTokens ?? r.total ?? data?.tokens ?? (r.type === 'ai_tokens' ? data?.value : undefined)),
    count(r.input_tokens ?? r.inputTokens ?? r.prompt_tokens ?? r.prompt ?? data?.input),
    count(r.output_tokens ?? r.outputTokens ?? r.completion_tokens ?? r.completion ?? data?.output),
    count(r.cache_read_tokens ?? r.cache_read_input_tokens ?? r.cacheReadInputTokens ?? r.cacheReadTokens ?? data?.cache_read),
    count(r.cache_creation_tokens ?? r.cache_creation_input_tokens ?? r.cacheCreationInputTokens ?? r.cacheCreationTokens ?? data?.cache_write),
  );
}

type Found = number | undefined | Malformed;

/** Parts that add up to the total; a given total wins over their sum. */
function additive(total: Found, input: Found, output: Found, cacheRead: Found, cacheWrite: Found): Counts | Malformed | undefined {
  if (total === MALFORMED || input === MALFORMED || output === MALFORMED || cacheRead === MALFORMED || cacheWrite === MALFORMED) return MALFORMED;
  if (total === undefined && input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined) return undefined;
  const sum = (input ?? 0) + (output ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  return { total: total ?? sum, input, output, cacheRead, cacheWrite };
}

/** Cached tokens counted inside the input figure: split them out so the parts still add up. */
function subsetCache(total: Found, inputWithCache: Found, output: Found, cached: Found): Counts | Malformed | undefined {
  if (typeof cached === 'number' && typeof inputWithCache === 'number') {
    if (cached > inputWithCache) return MALFORMED;
    return additive(total, inputWithCache - cached, output, cached, undefined);
  }
  return additive(total, inputWithCache, output, cached, undefined);
}

/** A token count: a whole number from 0 to 2^53, or digits in a string (the handoff's sketch logged strings). */
function count(raw: unknown): Found {
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : MALFORMED;
}

/** A cost: a finite number from 0 up. */
function amount(raw: unknown): Found {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : MALFORMED;
}

/** A JSON object, or undefined for anything else (arrays and null included). */
export function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
