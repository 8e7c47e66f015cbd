/**
 * Order intake load, in its own process: an open loop placing one order every 1000/rate ms through
 * the operator intake route (POST /platform/v1/orders) for `seconds`, whatever the answers' speed.
 * Reads {url, operatorKey, rate, seconds, body} from the JSON file argv[2]; prints {"load": …}.
 */
import fs from 'node:fs';
import { Agent } from 'undici';

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as { url: string; operatorKey: string; rate: number; seconds: number; body: Record<string, unknown> };
const u = new URL(spec.url);
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
const statuses: Record<string, number> = {};
const latencies: number[] = [];
const total = Math.round(spec.rate * spec.seconds);
const start = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / spec.rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const t0 = performance.now();
  inflight.push(
    agent
      .request({ origin: u.origin, path: '/platform/v1/orders', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.operatorKey}` }, body: JSON.stringify(spec.body) })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        latencies.push(performance.now() - t0);
      })
      .catch((err: Error) => {
        statuses[err.message] = (statuses[err.message] ?? 0) + 1;
      }),
  );
}
await Promise.all(inflight);
await agent.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
process.stdout.write(`${JSON.stringify({ load: { orders: total, seconds: (performance.now() - start) / 1000, statuses, intake_p50_ms: pct(50), intake_p99_ms: pct(99) } })}\n`);
