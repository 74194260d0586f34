import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimestamp, recordTime } from '../tools/telemetry/timestamps.ts';

describe('timestamps: the hand-read ISO form agrees with Date.parse', () => {
  const valid = [
    '2026-12-03T18:30:00.000Z',
    '2026-12-03T18:30:00Z',
    '1970-01-01T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2000-03-01T00:00:00.001Z',
    '1969-12-31T23:59:59.999Z',
    '2100-12-31T12:00:00Z',
    '2026-12-03T18:30:00+02:00', // not the canonical form: Date.parse handles it
    '2026-12-03T18:30:00.123456Z',
  ];
  for (const text of valid) {
    it(text, () => assert.equal(parseTimestamp(text), Date.parse(text)));
  }
});

describe('timestamps: impossible dates are NaN', () => {
  for (const text of ['2026-02-30T00:00:00.000Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-03T24:00:00Z', '2026-12-03T18:60:00Z', '2026-12-0xT18:30:00Z', 'yesterday', '']) {
    it(JSON.stringify(text), () => assert.ok(Number.isNaN(parseTimestamp(text))));
  }
});

describe('timestamps: a record’s time', () => {
  const cases: [string, Record<string, unknown>, number | undefined][] = [
    ['timestamp', { timestamp: '2026-12-03T00:00:00Z' }, Date.parse('2026-12-03T00:00:00Z')],
    ['time', { time: '2026-12-03T00:00:00Z' }, Date.parse('2026-12-03T00:00:00Z')],
    ['created_at', { created_at: '2026-12-03T00:00:00Z' }, Date.parse('2026-12-03T00:00:00Z')],
    ['epoch seconds', { ts: 1_764_720_000 }, 1_764_720_000_000],
    ['epoch milliseconds', { ts: 1_764_720_000_123 }, 1_764_720_000_123],
    ['none', { tokens: 1 }, undefined],
  ];
  for (const [name, record, expected] of cases) {
    it(name, () => assert.equal(recordTime(record), expected));
  }

  it('a time of the wrong type is NaN (the line is skipped)', () => {
    assert.ok(Number.isNaN(recordTime({ timestamp: true })));
    assert.ok(Number.isNaN(recordTime({ timestamp: -5 })));
  });
});
