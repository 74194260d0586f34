/**
 * Record timestamps to epoch milliseconds.
 *
 * Nearly every line holds an ISO-8601 UTC time such as `2026-12-03T18:30:00.000Z`.
 * `Date.parse` costs about as much as everything else the dashboard does with a
 * line, so that exact form is read digit by digit; anything else (offsets,
 * other precisions, epoch numbers) goes the general way.
 */

/** Milliseconds since the epoch, or NaN when the text is not a date-time. */
export function parseTimestamp(text: string): number {
  const n = text.length;
  const isCanonical =
    (n === 20 || (n === 24 && text.charCodeAt(19) === 46)) && // '.'
    text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && // '-'
    text.charCodeAt(10) === 84 && // 'T'
    text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58 && // ':'
    text.charCodeAt(n - 1) === 90; // 'Z'
  if (!isCanonical) return Date.parse(text);

  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  const second = digit(text, 17) * 10 + digit(text, 18);
  const ms = n === 24 ? digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22) : 0;
  // A non-digit anywhere made its sum NaN, and NaN fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN;
  return ((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/**
 * The time of a record, from its first time field: ISO text, or epoch seconds
 * or milliseconds as a number. `undefined` when it has none; NaN when it has a bad one.
 */
export function recordTime(record: Record<string, unknown>): number | undefined {
  const value = record.timestamp ?? record.time ?? record.ts ?? record.created_at ?? record.createdAt;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return parseTimestamp(value);
  // Epoch numbers: seconds below 1e11 (the year 5138), milliseconds above.
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value;
  return NaN;
}

// ---------------------------------------------------------------------------

/** The digit at `index`, or NaN when the character is not a digit. */
function digit(text: string, index: number): number {
  const value = text.charCodeAt(index) - 48;
  return value >= 0 && value <= 9 ? value : NaN;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
