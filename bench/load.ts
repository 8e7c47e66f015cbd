import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Percentile (ms) of sorted latencies. */
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Closed-loop load: `connections` clients, each sending its next request as soon as the previous
 * answered, for `seconds` (or until `next` returns undefined). Latency per request, in ms.
 */
export async function load(
  origin: string,
  opts: { connections: number; seconds: number; next: (i: number) => { method: 'GET' | 'PUT' | 'POST'; path: string; headers?: Record<string, string>; body?: string } | undefined; expect?: number },
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: opts.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const req = opts.next(i++);
      if (!req) return;
      const t0 = performance.now();
      const res = await pool.request({ origin, method: req.method, path: req.path, headers: req.headers, body: req.body });
      await res.body.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.statusCode !== (opts.expect ?? 200)) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

export function fmt(r: LoadResult): string {
  return `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.requests} requests, ${r.errors} errors)`;
}
