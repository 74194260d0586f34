/**
 * Number and time formatting shared by the renderers. Fixed to en-US so output
 * is the same on every machine (scripts and tests read it).
 */

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** @example formatCount(1234567) // '1,234,567' */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** @example formatSeconds(412.04) // '412 s'; formatSeconds(3.25) // '3.3 s' */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(seconds >= 100 ? 0 : 1))} s`;
}

/** @example formatUsd(12.3456) // '$12.35' */
export function formatUsd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: value < 1 ? 4 : 2 })}`;
}

/** @example formatPercent(0.953) // '95.3%' */
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))}%`;
}

/** How long ago, roughly: `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function formatAgo(then: Date, now: Date): string {
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** Local `YYYY-MM-DD HH:MM`. */
export function formatLocalTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
