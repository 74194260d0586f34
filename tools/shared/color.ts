/**
 * Colour for terminals only. `NO_COLOR` turns it off, `FORCE_COLOR` on
 * (https://no-color.org, https://force-color.org); otherwise only a TTY gets it.
 * Codes come from `util.inspect.colors`, the table `util.styleText` uses, so
 * this works the same on Node 20 and 22.
 */
import { inspect } from 'node:util';
import type { Context, Output } from './context.ts';

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
export type Paint = (style: Style, text: string) => string;

export function colorEnabled(env: Context['env'], output: Output): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return output.isTTY === true && env.TERM !== 'dumb';
}

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = inspect.colors[style] ?? [0, 0];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
