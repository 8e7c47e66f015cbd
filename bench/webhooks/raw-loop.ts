/**
 * The webhook ceiling, in its own process: a raw undici POST loop (keep-alive pool, `concurrency`
 * requests in flight, the same order body) against the sink for `seconds`. Prints {"raw": …}.
 * argv: url seconds concurrency bodyFile
 */
import fs from 'node:fs';
import { Agent } from 'undici';

const [url, secondsArg, concurrencyArg, bodyFile] = process.argv.slice(2);
const seconds = Number(secondsArg);
const concurrency = Number(concurrencyArg);
const body = fs.readFileSync(bodyFile!, 'utf8');
const u = new URL(url!);
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
async function run(ms: number): Promise<number> {
  let posts = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const res = await agent.request({ origin: u.origin, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
        posts++;
      }
    }),
  );
  return posts;
}

await run(1000); // warm-up: connections open, JIT warm
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const posts = await run(seconds * 1000);
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await agent.close();
process.stdout.write(`${JSON.stringify({ raw: { posts, seconds: elapsed, rate: posts / elapsed, cpu_seconds: (cpu.user + cpu.system) / 1e6 } })}\n`);
