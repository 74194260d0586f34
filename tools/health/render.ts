/**
 * Health results as console lines (as in the handoff: `name: ✅ OK`), and the exit code they mean.
 */
import type { Paint } from '../shared/color.ts';
import { ExitCode } from '../shared/errors.ts';
import type { HealthStatus, ProbeResult } from './probe.ts';

const LABEL: Record<HealthStatus, { icon: string; word: string; style: 'green' | 'yellow' | 'red' | 'dim' }> = {
  ok: { icon: '✅', word: 'OK', style: 'green' },
  degraded: { icon: '⚠️', word: 'Degraded', style: 'yellow' },
  down: { icon: '❌', word: 'DOWN', style: 'red' },
  not_running: { icon: '⚪', word: 'Not running', style: 'dim' },
  error: { icon: '❓', word: 'Error', style: 'red' },
};

/** Healthy enough to pass: degraded services are reported but do not fail the run. */
export function passes(result: ProbeResult): boolean {
  return result.status === 'ok' || result.status === 'degraded';
}

/** 0 when every service that is not optional passes, 1 otherwise. */
export function exitCodeFor(results: ProbeResult[], optional: Set<string>): ExitCode {
  return results.every((r) => passes(r) || optional.has(r.name)) ? ExitCode.OK : ExitCode.FAILURE;
}

/** `  AI Proxy: ✅ OK (HTTP 200, 12 ms)` */
export function resultLine(result: ProbeResult, paint: Paint, optional: boolean): string {
  const { icon, word, style } = LABEL[result.status];
  const latency = result.status === 'ok' || result.status === 'degraded' || result.httpStatus !== null ? `, ${result.latencyMs} ms` : '';
  const tag = optional ? paint('dim', ' [optional]') : '';
  return `${result.name}: ${icon} ${paint(style, word)} (${result.detail}${latency})${tag}`;
}

export function renderResults(results: ProbeResult[], paint: Paint, optional: Set<string>): string {
  const lines = results.map((r) => `  ${resultLine(r, paint, optional.has(r.name))}`);
  const healthy = results.filter(passes).length;
  const failing = results.filter((r) => !passes(r) && !optional.has(r.name)).length;
  const verdict = failing === 0 ? paint('green', `${healthy} of ${results.length} healthy.`) : paint('red', `${failing} of ${results.length} failing.`);
  return `${paint('bold', '🏥 Health Check')}\n\n${lines.join('\n')}\n\n${verdict}\n`;
}
