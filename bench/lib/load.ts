import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNode } from './processes.js';

/** What the load generator sends: `path`/`body` may contain `{id}`, filled from `ids` request by request. */
export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  ids?: string[];
  /** First id to use (ids before it were consumed by an earlier run). */
  startAt?: number;
  /** true (default): ids repeat; false: each id is used once and the run stops when they run out. */
  cycle?: boolean;
  /** The status that counts as success (default 200); any other is an error. */
  expect?: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  status_codes: Record<string, number>;
  seconds: number;
  /** Successful requests per second. */
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  ids_used: number;
  loadgen_cpu_s: number;
}

const GEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'load-gen.ts');

/** Runs the load generator as its own process and returns what it measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-load-')), 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  try {
    const r = await runNode({ name: 'load', args: [GEN, file] });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{"load":'));
    if (r.code !== 0 || !line) throw new Error(`load generator failed (${r.code}): ${r.stderr}`);
    return (JSON.parse(line) as { load: LoadResult }).load;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
