/**
 * Small readers that turn a parsed YAML node into a typed value, or into a
 * problem that points at the node's position in the file.
 *
 * Every reader takes a fallback: when the value is wrong, it records the
 * problem and returns the fallback, so one pass finds every problem at once
 * instead of stopping at the first.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';

export interface Problem {
  severity: 'error' | 'warning';
  /** Offset in the source text; the loader turns it into line:col. */
  offset: number;
  /** Dotted key path such as `telemetry.destinations.file.rotation`. */
  path: string;
  message: string;
}

export class Problems {
  readonly list: Problem[] = [];
  /** Turns an offset into a 1-based line number, for messages that mention another place. */
  readonly lineOf: (offset: number) => number;
  /** Where each visited key path starts, so checks across fields can point at them too. */
  readonly offsets = new Map<string, number>();

  constructor(lineOf: (offset: number) => number) {
    this.lineOf = lineOf;
  }

  error(offset: number, path: string, message: string): void {
    this.list.push({ severity: 'error', offset, path, message });
  }

  warning(offset: number, path: string, message: string): void {
    this.list.push({ severity: 'warning', offset, path, message });
  }

  /** An error at a path seen during reading (or at the start of the file). */
  errorAt(path: string, message: string): void {
    this.error(this.offsets.get(path) ?? 0, path, message);
  }
}

/** `null` stands for a key written with no value (`key:`). */
export type Field<T> = (node: Node | null, path: string, problems: Problems, fallback: T) => T;

export function offsetOf(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

/** How a wrong value reads in a message: `"thirty"`, `-3`, `a list`, `nothing`. */
export function describe(node: Node | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
  return 'an unsupported value';
}

function scalarValue(node: Node | null): unknown {
  return node !== null && isScalar(node) ? node.value : undefined;
}

/** Reports `got <value>, expected <what>` and returns the fallback. */
function reject<T>(node: Node | null, path: string, problems: Problems, fallback: T, expected: string, wrong?: string): T {
  problems.error(offsetOf(node), path, `${wrong ?? `got ${describe(node)}`}, expected ${expected}`);
  return fallback;
}

export function boolean(): Field<boolean> {
  return (node, path, problems, fallback) => {
    const value = scalarValue(node);
    return typeof value === 'boolean' ? value : reject(node, path, problems, fallback, 'true or false');
  };
}

export function string(expected = 'a string'): Field<string> {
  return (node, path, problems, fallback) => {
    const value = scalarValue(node);
    if (typeof value === 'string' && value.trim() !== '') return value;
    return reject(node, path, problems, fallback, expected);
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): Field<T> {
  return (node, path, problems, fallback) => {
    const value = scalarValue(node);
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return reject(node, path, problems, fallback, `one of ${choices.join(', ')}`);
  };
}

export function integer(options: { min: number; max?: number; unit: string }): Field<number> {
  const { min, max, unit } = options;
  const range = max === undefined ? `${min} or more` : `${min} to ${max}`;
  const expected = `a whole number of ${unit} (${range})`;
  return (node, path, problems, fallback) => {
    const value = scalarValue(node);
    if (typeof value !== 'number') return reject(node, path, problems, fallback, expected);
    if (!Number.isInteger(value)) return reject(node, path, problems, fallback, expected, `${value} is not a whole number`);
    if (value < min || (max !== undefined && value > max)) {
      const wrong = value < min ? `${value} is below ${min}` : `${value} is above ${max}`;
      return reject(node, path, problems, fallback, expected, wrong);
    }
    return value;
  };
}

/** A string checked by `parse`, which returns the typed value or undefined when it does not fit. */
export function parsed<T>(expected: string, parse: (text: string) => T | undefined): Field<T> {
  return (node, path, problems, fallback) => {
    const value = scalarValue(node);
    const result = typeof value === 'string' ? parse(value) : undefined;
    return result === undefined ? reject(node, path, problems, fallback, expected) : result;
  };
}

/**
 * A map with known keys. Missing keys keep their fallback, except keys marked
 * `required()` whose fallback is undefined. Unknown keys are warnings, not errors, so a newer
 * config does not break an older tool. Duplicate keys are errors.
 */
export function object<T extends object>(fields: { [K in keyof T]-?: Field<T[K]> }): Field<T> {
  return (node, path, problems, fallback) => {
    if (node === null || (isScalar(node) && node.value === null)) return fallback;
    if (!isMap(node)) return reject(node, path, problems, fallback, 'a map of settings');
    const result = { ...fallback };
    const known = Object.keys(fields);
    const given = new Set<string>();
    for (const [key, pair] of uniquePairs(node.items as Pair[], path, problems)) {
      const keyPath = join(path, key);
      problems.offsets.set(keyPath, offsetOf(pair.key as Node));
      given.add(key);
      if (!known.includes(key)) {
        problems.warning(offsetOf(pair.key as Node), keyPath, `unknown key, ignored (known keys here: ${known.join(', ')})`);
        continue;
      }
      const name = key as keyof T;
      result[name] = fields[name]((pair.value as Node | null) ?? null, keyPath, problems, fallback[name]);
    }
    for (const name of known as (keyof T & string)[]) {
      if (!given.has(name) && result[name] === undefined && (fields[name] as { required?: boolean }).required) {
        problems.error(offsetOf(node), join(path, name), 'missing, this key is required');
      }
    }
    return result;
  };
}

/** A map from names the user chooses to values of one shape, merged over the fallback's entries. */
export function record<T>(options: { item: Field<T>; fallbackFor: (name: string) => T; name: { pattern: RegExp; expected: string } }): Field<Record<string, T>> {
  return (node, path, problems, fallback) => {
    if (node === null || (isScalar(node) && node.value === null)) return fallback;
    if (!isMap(node)) return reject(node, path, problems, fallback, 'a map of settings');
    const result = { ...fallback };
    for (const [key, pair] of uniquePairs(node.items as Pair[], path, problems)) {
      const keyPath = join(path, key);
      problems.offsets.set(keyPath, offsetOf(pair.key as Node));
      if (!options.name.pattern.test(key)) {
        problems.error(offsetOf(pair.key as Node), keyPath, `${JSON.stringify(key)} is not a valid name, expected ${options.name.expected}`);
        continue;
      }
      const fallbackItem = fallback[key] ?? options.fallbackFor(key);
      result[key] = options.item((pair.value as Node | null) ?? null, keyPath, problems, fallbackItem);
    }
    return result;
  };
}

/** A list whose items all have one shape; `template` is the fallback each item starts from. */
export function list<T>(item: Field<T>, template: T): Field<T[]> {
  return (node, path, problems, fallback) => {
    if (node === null || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) return reject(node, path, problems, fallback, 'a list');
    return node.items.map((child, index) => {
      const itemPath = `${path}[${index}]`;
      problems.offsets.set(itemPath, offsetOf(child as Node));
      return item((child as Node | null) ?? null, itemPath, problems, template);
    });
  };
}

// ---------------------------------------------------------------------------

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Marks a field as required: a list item or a new map entry must give it. */
export function required<T>(field: Field<T>): Field<T> {
  const copy: Field<T> = (node, path, problems, fallback) => field(node, path, problems, fallback);
  return Object.assign(copy, { required: true });
}

/** A key that may be left out and has no default (its fallback is undefined). */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return (node, path, problems, fallback) => field(node, path, problems, fallback as T);
}

/** Yields each string key once, reporting duplicates and non-string keys. */
function* uniquePairs(pairs: Pair[], path: string, problems: Problems): Generator<[string, Pair]> {
  const firstSeen = new Map<string, Node>();
  for (const pair of pairs) {
    const keyNode = pair.key as Node | null;
    const key = scalarValue(keyNode);
    if (typeof key !== 'string') {
      problems.error(offsetOf(keyNode), path || '(top level)', `key ${describe(keyNode)} is not a name, expected a plain word as key`);
      continue;
    }
    const first = firstSeen.get(key);
    if (first) {
      problems.error(offsetOf(keyNode), join(path, key), `duplicate key (first defined on line ${problems.lineOf(offsetOf(first))}), keep only one`);
      continue;
    }
    firstSeen.set(key, keyNode as Node);
    yield [key, pair];
  }
}
