/**
 * Recognising a test run's result in its output, line by line, as it streams
 * past. Each runner prints its summary differently; the last summary seen wins.
 *
 *   node --test / TAP   # pass 12 · # fail 1 · # skipped 2      (spec reporter: ℹ pass 12)
 *   vitest              Tests  12 passed | 1 failed | 2 skipped (15)
 *   jest                Tests:       1 failed, 2 skipped, 12 passed, 15 total
 *   pytest              ===== 1 failed, 12 passed, 2 skipped in 0.52s =====
 *   go test             --- PASS: TestX / --- FAIL: TestY, or ok / FAIL package lines
 *   any TAP producer    ok 1 - name / not ok 2 - name (top-level points, when no summary line came)
 *   anything else       12 passed, 1 failed
 */

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Colour codes: runners colour their summaries when they think a terminal is watching. */
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

const NODE_LINE = /^(?:#|ℹ)\s+(pass|fail|skipped|todo|cancelled)\s+(\d+)\s*$/;
const VITEST_LINE = /^\s*Tests\s+(\d+\s+\w+(?:\s*\|\s*\d+\s+\w+)*)\s*(?:\(\d+\))?\s*$/;
const JEST_LINE = /^\s*Tests:\s+(.*\d+ total)\s*$/;
const GO_TEST = /^\s*--- (PASS|FAIL|SKIP): /;
const GO_PACKAGE = /^(ok|FAIL)\s+\S+\s+(?:[\d.]+s|\(cached\))/;
const TAP_POINT = /^(not )?ok \d+\b(.*)$/;
const COUNT = /(\d+)\s+(passed|passing|failed|failing|failures?|skipped|pending|errors?)\b/g;

export class TestSummaryScanner {
  private summary: TestCounts | undefined;
  /** node's summary comes one count per line: gathered here until complete. */
  private nodeCounts: Partial<TestCounts> = {};
  private goTests: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  private goPackages: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  private tapPoints: TestCounts = { passed: 0, failed: 0, skipped: 0 };

  push(rawLine: string): void {
    const line = rawLine.replace(ANSI, '').replace(/\r$/, '');

    const node = NODE_LINE.exec(line);
    if (node) {
      const key = node[1] === 'pass' ? 'passed' : node[1] === 'fail' ? 'failed' : node[1] === 'skipped' ? 'skipped' : undefined;
      if (key) this.nodeCounts[key] = Number(node[2]);
      if (this.nodeCounts.passed !== undefined && this.nodeCounts.failed !== undefined) {
        this.summary = { passed: this.nodeCounts.passed, failed: this.nodeCounts.failed, skipped: this.nodeCounts.skipped ?? 0 };
      }
      return;
    }
    const go = GO_TEST.exec(line);
    if (go) {
      const key = go[1] === 'PASS' ? 'passed' : go[1] === 'FAIL' ? 'failed' : 'skipped';
      this.goTests[key] += 1;
      return;
    }
    const tap = TAP_POINT.exec(line);
    if (tap) {
      const key = /#\s*skip/i.test(tap[2]!) ? 'skipped' : tap[1] ? 'failed' : 'passed';
      this.tapPoints[key] += 1;
      return;
    }
    const goPackage = GO_PACKAGE.exec(line);
    if (goPackage) {
      this.goPackages[goPackage[1] === 'ok' ? 'passed' : 'failed'] += 1;
      return;
    }
    const vitest = VITEST_LINE.exec(line);
    const jest = JEST_LINE.exec(line);
    const counts = countsIn(vitest?.[1] ?? jest?.[1] ?? line);
    // A bare "3 failed" could be anything; a summary names passes too, or comes in a known frame.
    if (counts && (vitest || jest || counts.named.has('passed') || /^=+ .* =+$/.test(line.trim()))) this.summary = counts.counts;
  }

  /** The counts recognised so far, or undefined when no summary was seen. */
  result(): TestCounts | undefined {
    if (this.summary) return this.summary;
    // Without -v, go prints only failing tests: then its package lines say more.
    const goVerbose = this.goTests.passed > 0 || sum(this.goPackages) === 0;
    const counted = [goVerbose ? this.goTests : this.goPackages, this.tapPoints].find((counts) => sum(counts) > 0);
    return counted && { ...counted };
  }
}

/** Scans a whole output at once: for tests and for callers that already have the text. */
export function scanTestSummary(output: string): TestCounts | undefined {
  const scanner = new TestSummaryScanner();
  for (const line of output.split('\n')) scanner.push(line);
  return scanner.result();
}

// ---------------------------------------------------------------------------

function countsIn(text: string): { counts: TestCounts; named: Set<string> } | undefined {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  const named = new Set<string>();
  for (const [, number, word] of text.matchAll(COUNT)) {
    const key = /^pass/.test(word!) ? 'passed' : /^(fail|error)/.test(word!) ? 'failed' : 'skipped';
    counts[key] += Number(number);
    named.add(key);
  }
  return named.size > 0 ? { counts, named } : undefined;
}

function sum(counts: TestCounts): number {
  return counts.passed + counts.failed + counts.skipped;
}
