import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MALFORMED, tokenUsage } from '../tools/telemetry/tokens.ts';

/** A record as some tool logs it → the usage counted from it. */
const SHAPES: [string, object, object][] = [
  ['plain total with cost and model', { timestamp: '2026-12-01T10:00:00Z', model: 'gpt-4o', tokens: 1234, cost_usd: 0.01 }, { total: 1234, costUsd: 0.01, model: 'gpt-4o' }],
  ['total, prompt, completion', { total: 50, prompt: 30, completion: 20 }, { total: 50, input: 30, output: 20 }],
  [
    'split, snake case, cache on top of input',
    { input_tokens: 2, output_tokens: 9, cache_creation_tokens: 7924, cache_read_tokens: 13368, cost_usd: 0.1, model: 'claude' },
    { total: 21303, input: 2, output: 9, cacheWrite: 7924, cacheRead: 13368, costUsd: 0.1, model: 'claude' },
  ],
  [
    'split, camel case',
    { inputTokens: 1, outputTokens: 2, cacheReadInputTokens: 3, cacheCreationInputTokens: 4, costUSD: 0.5 },
    { total: 10, input: 1, output: 2, cacheRead: 3, cacheWrite: 4, costUsd: 0.5 },
  ],
  [
    'OpenAI usage: cached tokens are part of the prompt',
    { model: 'gpt-4o', usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 4 } } },
    { total: 29, input: 15, output: 10, cacheRead: 4, model: 'gpt-4o' },
  ],
  [
    'OpenAI usage without a total',
    { usage: { prompt_tokens: 19, completion_tokens: 10 } },
    { total: 29, input: 19, output: 10 },
  ],
  [
    'OpenAI Responses usage',
    { usage: { input_tokens: 36, input_tokens_details: { cached_tokens: 6 }, output_tokens: 87, total_tokens: 123 } },
    { total: 123, input: 30, output: 87, cacheRead: 6 },
  ],
  [
    'Anthropic usage: cache in addition to input',
    { usage: { input_tokens: 4, output_tokens: 1, cache_creation_input_tokens: 15178, cache_read_input_tokens: 0 } },
    { total: 15183, input: 4, output: 1, cacheWrite: 15178, cacheRead: 0 },
  ],
  [
    'assistant transcript: message.usage, message.model, response id',
    { type: 'assistant', requestId: 'req_1', message: { id: 'msg_1', model: 'claude-sonnet-4', usage: { input_tokens: 10, output_tokens: 5 } } },
    { total: 15, input: 10, output: 5, model: 'claude-sonnet-4', messageId: 'msg_1', requestId: 'req_1' },
  ],
  [
    'Gemini usageMetadata: cached content is part of the prompt, thoughts are output',
    { modelVersion: 'gemini-2.5-pro', usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 50, thoughtsTokenCount: 7, totalTokenCount: 157, cachedContentTokenCount: 40 } },
    { total: 157, input: 60, output: 57, cacheRead: 40, model: 'gemini-2.5-pro' },
  ],
  [
    'a line from telemetry log ai_tokens',
    { timestamp: '2026-12-03T10:00:00Z', type: 'ai_tokens', tokens: 500, data: { value: 500, model: 'x', input: 400, output: 100, cost_usd: 0.01 } },
    { total: 500, input: 400, output: 100, model: 'x', costUsd: 0.01 },
  ],
  ["a line from the handoff's sketch (value as a string)", { timestamp: '2026-12-03T10:00:00Z', type: 'ai_tokens', data: { value: '1234' } }, { total: 1234 }],
  ['a total and parts that do not add up: the total wins', { tokens: 100, input_tokens: 10, output_tokens: 20 }, { total: 100, input: 10, output: 20 }],
  ['a prompt text at the top level is not a count', { input: 'hello', total_tokens: 7 }, { total: 7 }],
];

const MALFORMED_RECORDS: [string, object][] = [
  ['negative tokens', { tokens: -5 }],
  ['tokens as words', { tokens: 'lots' }],
  ['fractional tokens', { tokens: 1.5 }],
  ['non-finite tokens (1e400 parses as Infinity)', JSON.parse('{"tokens":1e400}')],
  ['beyond exact integers', { tokens: 2 ** 60 }],
  ['a negative part', { input_tokens: 5, output_tokens: -1 }],
  ['more cached tokens than prompt tokens', { usage: { prompt_tokens: 5, prompt_tokens_details: { cached_tokens: 9 } } }],
  ['a negative cost', { tokens: 5, cost_usd: -1 }],
  ['usage counts as objects', { usage: { input_tokens: { n: 1 } } }],
];

describe('tokens: each shape counts once, with its parts', () => {
  for (const [name, record, expected] of SHAPES) {
    it(name, () => assert.deepEqual(definedOnly(tokenUsage(record as Record<string, unknown>)), expected));
  }
});

describe('tokens: absurd values make the record malformed', () => {
  for (const [name, record] of MALFORMED_RECORDS) {
    it(name, () => assert.equal(tokenUsage(record as Record<string, unknown>), MALFORMED));
  }
});

describe('tokens: records without counts are not token records', () => {
  const cases: [string, object][] = [
    ["a transcript's user line", { type: 'user', message: { role: 'user', content: 'hi' } }],
    ['a summary line', { type: 'summary', summary: 'Refactor' }],
  ];
  for (const [name, record] of cases) {
    it(name, () => assert.equal(tokenUsage(record as Record<string, unknown>), undefined));
  }
});

/** The usage without its unknown (undefined) fields, so cases list only what a shape gives. */
function definedOnly(usage: unknown): unknown {
  if (typeof usage !== 'object' || usage === null) return usage;
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined));
}
