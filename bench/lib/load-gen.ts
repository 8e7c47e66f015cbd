/**
 * The load generator, in its own process: autocannon, closed loop, `connections` keep-alive clients.
 * Reads a LoadSpec (JSON file named by argv[2]) and prints one JSON line: {"load": LoadResult}.
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import type { LoadResult, LoadSpec } from './load.js';

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
const ids = spec.ids ?? [''];
let next = spec.startAt ?? 0;
const cycle = spec.cycle ?? true;
const cpu0 = process.cpuUsage();

const fill = (template: string, id: string) => template.replaceAll('{id}', id);

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    headers: spec.headers,
    requests: [
      {
        method: spec.method,
        setupRequest: (req) => {
          if (!cycle && next >= ids.length) {
            instance.stop();
            next = ids.length - 1;
          }
          const id = ids[cycle ? next % ids.length : next]!;
          next++;
          return { ...req, path: fill(spec.path, id), ...(spec.body !== undefined ? { body: fill(spec.body, id) } : {}) };
        },
      },
    ],
  },
  (err, r) => {
    if (err) {
      process.stderr.write(`${err.stack ?? err}\n`);
      process.exit(1);
    }
    const u = process.cpuUsage(cpu0);
    const expect = spec.expect ?? 200;
    const ok = Number((r.statusCodeStats as Record<string, { count: number }>)[String(expect)]?.count ?? 0);
    const total = r.requests.total;
    const result: LoadResult = {
      requests: total,
      ok,
      errors: total - ok + r.errors + r.timeouts,
      status_codes: Object.fromEntries(Object.entries(r.statusCodeStats as Record<string, { count: number }>).map(([k, v]) => [k, v.count])),
      seconds: r.duration,
      rps: ok / r.duration,
      p50_ms: r.latency.p50,
      p90_ms: r.latency.p90,
      p99_ms: r.latency.p99,
      max_ms: r.latency.max,
      ids_used: Math.min(next, ids.length) - (spec.startAt ?? 0),
      loadgen_cpu_s: (u.user + u.system) / 1e6,
    };
    process.stdout.write(`${JSON.stringify({ load: result })}\n`);
  },
);
