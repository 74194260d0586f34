/**
 * Short durations as people type them in configs and flags: `90s`, `30m`, `24h`, `7d`, `2w`.
 */

const UNIT_MS = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const DURATION = /^(\d+)(s|m|h|d|w)$/;

export const DURATION_HINT = 'a duration such as 90m, 24h, 7d or 2w';

/**
 * @example parseDuration('24h') // 86_400_000
 * @example parseDuration('soon') // undefined
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const ms = amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return amount > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * The largest unit that divides evenly, for messages.
 *
 * @example formatDuration(86_400_000) // '1d'
 */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
