#!/usr/bin/env tsx
/**
 * Health check for all services. Usage: npm run health [-- --json]
 * All the work is in cli.ts; this file only connects it to the real process.
 */
import { exitQuietlyOnBrokenPipe, processContext } from '../shared/context.ts';
import { main } from './cli.ts';

// Ctrl-C stops the probes (and --watch) at once instead of killing the process mid-line.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2), { ...processContext(), signal: interrupt.signal });
