import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULTS, type Config } from '../tools/shared/config.ts';
import { appendLine, sweepRetention } from '../tools/telemetry/store.ts';
import { dateInName, fileFor, localDate, resolveStreams, streamFor } from '../tools/telemetry/streams.ts';
import { tempDir, tempProject, writeFile } from './helpers.ts';

const DEC_3 = new Date(2026, 11, 3, 12, 0, 0); // local time, like the developer's clock

function withFile(file: Partial<Config['telemetry']['destinations']['file']>): Config {
  const config = structuredClone(DEFAULTS);
  Object.assign(config.telemetry.destinations.file, file);
  return config;
}

describe('streams: where each type is written', () => {
  const root = '/repo';
  const streams = resolveStreams(DEFAULTS, root);
  const cases: [string, string][] = [
    ['build_times', '/repo/.logs/build-metrics.2026-12-03.jsonl'],
    ['test_results', '/repo/.logs/test-metrics.2026-12-03.jsonl'],
    ['ai_tokens', '/repo/.config/ai/logs/token-usage.jsonl'],
    ['deploy', '/repo/.logs/metrics.2026-12-03.jsonl'],
    ['metrics', '/repo/.logs/metrics.2026-12-03.jsonl'],
  ];
  for (const [type, file] of cases) {
    it(`${type} goes to ${file}`, () => assert.equal(fileFor(streamFor(type, streams), DEC_3), file));
  }

  it('with rotation: none, the configured name itself', () => {
    const plain = resolveStreams(withFile({ rotation: 'none' }), root);
    assert.equal(fileFor(streamFor('build_times', plain), DEC_3), '/repo/.logs/build-metrics.jsonl');
  });

  it('the AI token log outside the logs directory is never rotated', () => {
    assert.equal(streamFor('ai_tokens', streams).rotated, false);
    assert.equal(streamFor('build_times', streams).rotated, true);
  });

  it('uses the local date, not the UTC one', () => {
    const lateEvening = new Date(2026, 11, 3, 23, 59, 59);
    assert.equal(localDate(lateEvening), '2026-12-03');
    assert.equal(localDate(new Date(2026, 11, 4, 0, 0, 1)), '2026-12-04');
  });
});

describe('streams: a dated name matches only its own stream, exactly', () => {
  const build = streamFor('build_times', resolveStreams(DEFAULTS, '/repo'));
  const cases: [string, string | undefined][] = [
    ['build-metrics.2026-12-03.jsonl', '2026-12-03'],
    ['build-metrics.2024-02-29.jsonl', '2024-02-29'],
    ['build-metrics.2026-02-30.jsonl', undefined],
    ['build-metrics.2026-13-01.jsonl', undefined],
    ['build-metrics.jsonl', undefined],
    ['build-metrics.2026-12-03.jsonl.bak', undefined],
    ['old-build-metrics.2026-12-03.jsonl', undefined],
    ['build-metrics.2026-12-3.jsonl', undefined],
    ['build-metrics.x2026-12-03.jsonl', undefined],
    ['test-metrics.2026-12-03.jsonl', undefined],
  ];
  for (const [name, date] of cases) {
    it(`${name} → ${date ?? 'no match'}`, () => assert.equal(dateInName(build, name), date));
  }
});

describe('store: appendLine', () => {
  it('creates the directory, appends whole lines, and says when it created the file', () => {
    const file = join(tempDir(), 'deep', 'dir', 'x.jsonl');
    assert.deepEqual(appendLine(file, '{"a":1}'), { created: true });
    assert.deepEqual(appendLine(file, '{"a":2}'), { created: false });
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n');
  });
});

describe('store: retention', () => {
  const config = withFile({ retention_days: 30 });

  function setUp() {
    const root = tempProject();
    const logs = join(root, '.logs');
    const files = {
      expired: writeFile(root, '.logs/build-metrics.2026-11-02.jsonl', 'x\n'),
      oldestKept: writeFile(root, '.logs/build-metrics.2026-11-03.jsonl', 'x\n'),
      today: writeFile(root, '.logs/build-metrics.2026-12-03.jsonl', 'x\n'),
      expiredTest: writeFile(root, '.logs/test-metrics.2025-01-01.jsonl', 'x\n'),
      expiredGeneric: writeFile(root, '.logs/metrics.2025-01-01.jsonl', 'x\n'),
      undated: writeFile(root, '.logs/build-metrics.jsonl', 'x\n'),
      foreign: writeFile(root, '.logs/notes.2020-01-01.jsonl', 'x\n'),
      lookalike: writeFile(root, '.logs/build-metrics.2020-01-01.jsonl.bak', 'x\n'),
      notADate: writeFile(root, '.logs/build-metrics.2020-02-31.jsonl', 'x\n'),
      // Same pattern, but outside the logs directory: never touched.
      tokenLog: writeFile(root, '.config/ai/logs/token-usage.2020-01-01.jsonl', 'x\n'),
      outsideTarget: writeFile(root, 'elsewhere/build-metrics.2020-01-01.jsonl', 'keep me\n'),
    };
    const link = join(logs, 'build-metrics.2020-01-02.jsonl');
    symlinkSync(files.outsideTarget, link);
    mkdirSync(join(logs, 'build-metrics.2020-01-03.jsonl')); // a directory with a dated name
    return { root, logs, files, link };
  }

  it('deletes only dated files of known streams older than retention_days', () => {
    const { root, files } = setUp();
    const result = sweepRetention(resolveStreams(config, root), DEC_3, 30);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.deleted.sort(), [files.expired, files.expiredGeneric, files.expiredTest].sort());
    for (const [name, file] of Object.entries(files)) {
      const shouldExist = !['expired', 'expiredTest', 'expiredGeneric'].includes(name);
      assert.equal(existsSync(file), shouldExist, name);
    }
  });

  it('never follows or removes a symlink, and never touches a directory', () => {
    const { root, logs, files, link } = setUp();
    sweepRetention(resolveStreams(config, root), DEC_3, 30);
    assert.ok(readdirSync(logs).includes('build-metrics.2020-01-02.jsonl'), 'the link itself is kept');
    assert.equal(readFileSync(link, 'utf8'), 'keep me\n');
    assert.equal(readFileSync(files.outsideTarget, 'utf8'), 'keep me\n');
    assert.ok(existsSync(join(logs, 'build-metrics.2020-01-03.jsonl')));
  });

  it('a shorter retention keeps fewer days', () => {
    const { root, files } = setUp();
    sweepRetention(resolveStreams(config, root), DEC_3, 1);
    assert.equal(existsSync(files.oldestKept), false);
    assert.equal(existsSync(files.today), true);
  });

  it('a missing logs directory is not an error', () => {
    const result = sweepRetention(resolveStreams(config, tempProject()), DEC_3, 30);
    assert.deepEqual(result, { deleted: [], failures: [] });
  });
});
