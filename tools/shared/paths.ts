import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` is strictly below `dir` (not `dir` itself, not a `..` escape). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A path as the user should read it: relative to the project root when inside it. */
export function displayPath(cwd: string, file: string): string {
  return isInside(cwd, file) ? relative(cwd, file) : file;
}
