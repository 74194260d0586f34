#!/usr/bin/env tsx
/**
 * Unified telemetry CLI. Usage: npm run telemetry <command>
 * All the work is in cli.ts; this file only connects it to the real process.
 */
import { exitQuietlyOnBrokenPipe, processContext } from '../shared/context.ts';
import { main } from './cli.ts';

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2), processContext());
