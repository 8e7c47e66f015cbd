import { runNode } from './processes.js';
import { emitLine, loadAverage, log } from './report.js';

/** JSON objects printed on stdout: one per line, or pretty-printed blocks from a `{` line to a `}` line. */
export function jsonObjectsIn(stdout: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('{') && line.trimEnd().endsWith('}')) {
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
        continue;
      } catch {
        /* not one line of JSON */
      }
    }
    if (line === '{') {
      const end = lines.indexOf('}', i);
      if (end > i) {
        out.push(JSON.parse(lines.slice(i, end + 1).join('\n')) as Record<string, unknown>);
        i = end;
      }
    }
  }
  return out;
}

/**
 * A bench that is its own script (it starts its measured processes and baselines itself): run as a
 * child process with BENCH_DB, and each JSON result it prints becomes one line of ours.
 */
export async function runScriptBench(bench: string, db: string, script: string, env: Record<string, string>): Promise<void> {
  const load_average_at_start = loadAverage();
  log(`${bench}/${db}: ${script} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} (load ${load_average_at_start.join(' ')})`);
  const t0 = Date.now();
  const r = await runNode({ name: bench, args: [script], env: { BENCH_DB: db, ...env } });
  if (r.code !== 0) throw new Error(`${script} exited ${r.code}:\n${r.stderr}`);
  const results = jsonObjectsIn(r.stdout);
  if (results.length === 0) throw new Error(`${script} printed no JSON result:\n${r.stdout}\n${r.stderr}`);
  for (const result of results) emitLine({ bench, db, load_average_at_start, wall_seconds: Math.round((Date.now() - t0) / 100) / 10, ...env, result });
}
