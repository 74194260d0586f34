import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SeenPairs } from '../tools/telemetry/seen.ts';

it('seen pairs: each of 200,000 pairs is new once, then seen', () => {
  const seen = new SeenPairs();
  for (let i = 0; i < 200_000; i++) assert.equal(seen.add(`msg_${i}`, `req_${i % 7}`), true, `pair ${i}`);
  for (let i = 0; i < 200_000; i += 997) assert.equal(seen.add(`msg_${i}`, `req_${i % 7}`), false, `pair ${i} again`);
});

it('seen pairs: the boundary between the two ids matters', () => {
  const seen = new SeenPairs();
  assert.equal(seen.add('ab', 'c'), true);
  assert.equal(seen.add('a', 'bc'), true);
  assert.equal(seen.add('abc', ''), true);
  assert.equal(seen.add('ab', 'c'), false);
});
