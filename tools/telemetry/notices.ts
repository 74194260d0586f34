/**
 * The console destination: short notes such as `📊 Logged: build_times`,
 * shown or hidden by `telemetry.destinations.console` (`enabled`, `level`).
 *
 * Failures that end a command are not notes: the CLI always prints those.
 */
import type { Config, Level } from '../shared/config.ts';
import type { Output } from '../shared/context.ts';

export interface Notices {
  debug(text: string): void;
  info(text: string): void;
  warn(text: string): void;
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** `info` goes to `infoOut` (stdout for `log`; stderr for `run`, whose stdout is the command's); warnings to stderr. */
export function consoleNotices(config: Config, infoOut: Output, stderr: Output): Notices {
  const { enabled, level } = config.telemetry.destinations.console;
  const shows = (wanted: Level) => enabled && RANK[wanted] >= RANK[level];
  return {
    debug: (text) => shows('debug') && infoOut.write(`${text}\n`),
    info: (text) => shows('info') && infoOut.write(`${text}\n`),
    warn: (text) => shows('warn') && stderr.write(`${text}\n`),
  };
}
