import type { Config } from '../config.js';
import type { AppContext } from './context.js';
/** CLI output: machine-readable on stdout, humans' notes on stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Runs one CLI command's work with an open context (the CLI builds it; domains' commands receive it). */
export type WithContext = <T>(fn: (ctx: AppContext) => Promise<T>, overrides?: Partial<Config>) => Promise<T>;
