/**
 * The console dashboard: a `Summary` and its alerts in, text out. Pure.
 */
import type { Paint } from '../shared/color.ts';
import { formatDuration } from '../shared/duration.ts';
import { formatAgo, formatCount, formatLocalTime, formatPercent, formatSeconds, formatUsd } from '../shared/format.ts';
import type { Summary } from './aggregate.ts';
import { noAlertsMessage, type Alert } from './alerts.ts';
import { daysBefore } from './streams.ts';

export interface RenderOptions {
  paint: Paint;
  now: Date;
}

const RULE = '='.repeat(50);
const BAR_WIDTH = 24;
const FILES_SHOWN = 4;

export function renderDashboard(summary: Summary, alerts: Alert[], options: RenderOptions): string {
  const { paint } = options;
  const title = paint('bold', '📊 TELEMETRY DASHBOARD') + (summary.since ? paint('dim', `  since ${formatLocalTime(new Date(summary.since))}`) : '');
  if (isEmpty(summary)) return [``, title, ``, ...firstSteps(summary, paint), ``].join('\n');
  return ['', title, RULE, ...tokens(summary, options), '', ...builds(summary, options), '', ...tests(summary, options), '', ...metrics(summary, options), '', ...alertLines(alerts, summary, paint), RULE, ''].join('\n');
}

function isEmpty(summary: Summary): boolean {
  return summary.metrics.total === 0 && summary.skipped.total === 0 && summary.metrics.files.length === 0;
}

function firstSteps(summary: Summary, paint: Paint): string[] {
  return [
    summary.since ? 'Nothing was logged in this period.' : 'No metrics yet. Log a first one:',
    '',
    paint('cyan', '  npm run telemetry log build_times 42 target=web'),
    paint('cyan', '  npm run telemetry log test_results passed=120 failed=0'),
    paint('cyan', '  npm run telemetry log ai_tokens 1234 model=gpt-4o'),
    '',
    `Then run ${paint('cyan', 'npm run telemetry:dashboard')} again.`,
  ];
}

function tokens({ tokens: t }: Summary, { paint, now }: RenderOptions): string[] {
  const lines = [`🤖 ${paint('bold', 'AI Tokens Used:')} ${formatCount(t.total)}`];
  if (t.records === 0) return [...lines, paint('dim', '   none logged yet: npm run telemetry log ai_tokens <tokens> model=<name>')];
  if (t.splitKnown > 0) {
    const partial = t.splitKnown < t.total ? paint('dim', ` (split known for ${formatPercent(t.splitKnown / t.total)} of tokens)`) : '';
    lines.push(`   input ${formatCount(t.input)} · output ${formatCount(t.output)} · cache read ${formatCount(t.cacheRead)} · cache write ${formatCount(t.cacheWrite)}${partial}`);
  }
  if (t.costUsd !== null) lines.push(`   cost ${formatUsd(t.costUsd)}`);
  const models = Object.entries(t.byModel).sort((a, b) => b[1] - a[1]).slice(0, 3);
  lines.push(`   top models: ${models.map(([model, n]) => `${model} ${formatCount(n)} (${formatPercent(n / t.total)})`).join(', ')}`);

  const days = [6, 5, 4, 3, 2, 1, 0].map((ago) => daysBefore(now, ago));
  const most = Math.max(...days.map((day) => t.byDay[day] ?? 0));
  lines.push('   last 7 days:');
  for (const day of days) {
    const value = t.byDay[day] ?? 0;
    const width = most === 0 ? 0 : Math.round((value / most) * BAR_WIDTH);
    const bar = value > 0 && width === 0 ? '▏' : '█'.repeat(width);
    lines.push(`     ${day.slice(5)} ${paint('cyan', bar.padEnd(BAR_WIDTH))} ${formatCount(value)}`);
  }

  const { used, threshold, window, percent } = t.budget;
  const span = window === null ? 'all logs' : `last ${formatDuration(window)}`;
  const share = paint(used > threshold ? 'red' : percent >= 80 ? 'yellow' : 'green', `${percent}%`);
  lines.push(`   budget: ${formatCount(used)} of ${formatCount(threshold)} tokens (${share}, ${span})`);
  return lines;
}

function builds({ builds: b }: Summary, { paint, now }: RenderOptions): string[] {
  const lines = [`🏗️ ${paint('bold', 'Builds:')} ${formatCount(b.count)}`];
  if (b.count === 0) return [...lines, paint('dim', '   none logged yet: npm run telemetry log build_times <seconds> target=<name>')];
  if (b.last) {
    const when = b.last.timestamp ? `, ${formatAgo(new Date(b.last.timestamp), now)}` : '';
    lines.push(`   last: ${b.last.target ?? '(no target)'} ${formatSeconds(b.last.seconds)}${when}`);
  }
  lines.push(`   p50 ${formatSeconds(b.p50!)} · p95 ${formatSeconds(b.p95!)} · max ${formatSeconds(b.max!)}`);
  const targets = b.slowestTargets.map((t) => `${t.target} ${formatSeconds(t.maxSeconds)} max, ${formatSeconds(t.meanSeconds)} mean (${formatCount(t.count)})`);
  lines.push(`   slowest targets: ${targets.join('; ')}`);
  const over = `${formatCount(b.overThreshold)} over ${b.threshold} s`;
  lines.push(`   ${b.overThreshold > 0 ? paint('red', over) : paint('green', over)}`);
  return lines;
}

function tests({ tests: t }: Summary, { paint }: RenderOptions): string[] {
  const lines = [`🧪 ${paint('bold', 'Tests:')} ${formatCount(t.runs)} run${t.runs === 1 ? '' : 's'}`];
  if (t.runs === 0) return [...lines, paint('dim', '   none logged yet: npm run telemetry log test_results pass|fail')];
  const rate = paint(t.failedRuns > 0 ? 'yellow' : 'green', `${formatPercent(t.passRate!)} passed`);
  lines[0] += `, ${formatCount(t.failedRuns)} failed (${rate})`;
  if (t.passed + t.failed + t.skipped > 0) {
    lines.push(`   tests: ${formatCount(t.passed)} passed, ${formatCount(t.failed)} failed, ${formatCount(t.skipped)} skipped`);
  }
  if (t.lastFailure) {
    const f = t.lastFailure;
    const details = [f.target, f.failed === null ? undefined : `${formatCount(f.failed)} failed`].filter(Boolean).join(', ');
    const when = f.timestamp ? formatLocalTime(new Date(f.timestamp)) : 'time unknown';
    lines.push(`   last failure: ${when}${details ? ` (${details})` : ''}`);
  }
  return lines;
}

function metrics(summary: Summary, { paint }: RenderOptions): string[] {
  const { total, byType, files } = summary.metrics;
  const types = Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${formatCount(n)}`);
  const shown = files.slice(0, FILES_SHOWN);
  const more = files.length > FILES_SHOWN ? ` and ${files.length - FILES_SHOWN} more` : '';
  const lines = [`📈 ${paint('bold', 'Total Metrics Logged:')} ${formatCount(total)}`];
  if (types.length > 0) lines.push(`   ${types.join(' · ')}`);
  lines.push(paint('dim', `   read ${files.length} file${files.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`));
  const { skipped } = summary;
  if (skipped.total > 0) {
    const where = Object.entries(skipped.byFile).map(([file, n]) => `${file} (${formatCount(n)})`).join(', ');
    lines.push(paint('yellow', `   ⚠️ skipped ${formatCount(skipped.total)} unreadable line${skipped.total === 1 ? '' : 's'} (bad JSON or values): ${where}`));
  }
  return lines;
}

function alertLines(alerts: Alert[], summary: Summary, paint: Paint): string[] {
  if (alerts.length === 0) return [paint('green', `✅ ${noAlertsMessage(summary)}`)];
  return [`🚨 ${paint('bold', 'Alerts')}`, ...alerts.map((a) => paint('red', `   ${a.name}: ${a.message}`))];
}
