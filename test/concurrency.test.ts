import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { REPO_ROOT, tempProject } from './helpers.ts';

const WORKERS = 16;
const LINES_EACH = 1000;

function runWorker(root: string, worker: number): Promise<number | null> {
  const script = join(REPO_ROOT, 'test/fixtures/append-many.ts');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, root, String(worker), String(LINES_EACH)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
}

it(`log: ${WORKERS} processes × ${LINES_EACH} lines over midnight lose and merge nothing`, { timeout: 120_000 }, async () => {
  const root = tempProject();
  const codes = await Promise.all(Array.from({ length: WORKERS }, (_, worker) => runWorker(root, worker)));
  assert.deepEqual(codes, Array(WORKERS).fill(0));

  const seen = new Set<string>();
  for (const day of ['2026-12-03', '2026-12-04']) {
    const text = readFileSync(join(root, `.logs/metrics.${day}.jsonl`), 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, (WORKERS * LINES_EACH) / 2, `${day} holds half the lines`);
    for (const line of lines) {
      const entry = JSON.parse(line) as { type: string; data: { value: number; worker: number } };
      assert.equal(entry.type, 'load_test');
      seen.add(`${entry.data.worker}:${entry.data.value}`);
    }
  }
  assert.equal(seen.size, WORKERS * LINES_EACH, 'every line once');
});
