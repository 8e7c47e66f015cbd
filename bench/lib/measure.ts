import { runLoad, type LoadResult, type LoadSpec } from './load.js';
import type { BenchProcess } from './processes.js';
import { emitLine, loadAverage, log, round } from './report.js';

export interface Side {
  /** 'comanda' or 'ceiling'. */
  side: string;
  server: BenchProcess;
  /** The load for this side (its URL, paths, ids…), given the first id not yet consumed. */
  load: (startAt: number) => LoadSpec;
}

export interface Measurement {
  bench: string;
  db: string;
  side: string;
  round: number;
  load_average_at_start: number[];
  rps: number;
  p50_ms: number;
  p99_ms: number;
  server_cpu_us_per_request: number;
  requests: number;
  errors: number;
  connections: number;
  seconds: number;
  status_codes: Record<string, number>;
  loadgen_cpu_s: number;
  server_cpu_s: number;
}

/** Runs one load against one server process and reports it as one JSON line (the server's CPU from /proc). */
export async function measure(bench: string, db: string, s: Side, roundNo: number, startAt: number, extra: Record<string, unknown> = {}): Promise<{ m: Measurement; load: LoadResult }> {
  const spec = s.load(startAt);
  const load_average_at_start = loadAverage();
  const cpu0 = s.server.cpuSeconds();
  const load = await runLoad(spec);
  const cpu = s.server.cpuSeconds() - cpu0;
  const m: Measurement = {
    bench,
    db,
    side: s.side,
    round: roundNo,
    load_average_at_start,
    rps: Math.round(load.rps),
    p50_ms: round(load.p50_ms),
    p99_ms: round(load.p99_ms),
    server_cpu_us_per_request: Math.round((cpu * 1e6) / Math.max(1, load.requests)),
    requests: load.requests,
    errors: load.errors,
    connections: spec.connections,
    seconds: round(load.seconds, 1),
    status_codes: load.status_codes,
    loadgen_cpu_s: round(load.loadgen_cpu_s),
    server_cpu_s: round(cpu),
  };
  if (roundNo > 0) emitLine({ ...m, ...extra });
  log(`${bench}/${db} ${s.side}${roundNo > 0 ? ` round ${roundNo}` : ' warm-up'}: ${m.rps} req/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms, ${m.server_cpu_us_per_request} µs CPU/req, ${m.errors} errors (load ${load_average_at_start.join(' ')})`);
  if (load.errors > 0) log(`  status codes: ${JSON.stringify(load.status_codes)}`);
  return { m, load };
}

export interface AbabOptions {
  bench: string;
  db: string;
  /** A first, B second: ceiling then comanda. */
  a: Side;
  b: Side;
  rounds: number;
  warmupSeconds: number;
  /** Ids are consumed (PUT): each run continues after the ids the previous one used on that side. */
  consumesIds?: boolean;
}

/**
 * A B A B: a short warm-up of each side, then `rounds` alternations; one JSON line per measurement,
 * and a summary line with the ratio B/A of each round (the same run, the same machine state).
 */
export async function abab(o: AbabOptions): Promise<Record<string, unknown>> {
  const cursor = new Map<string, number>([[o.a.side, 0], [o.b.side, 0]]);
  const run = async (s: Side, r: number, seconds?: number) => {
    const at = cursor.get(s.side)!;
    const side: Side = seconds === undefined ? s : { ...s, load: (start) => ({ ...s.load(start), seconds }) };
    const res = await measure(o.bench, o.db, side, r, at);
    if (o.consumesIds) cursor.set(s.side, at + res.load.ids_used);
    return res.m;
  };
  await run(o.a, 0, o.warmupSeconds);
  await run(o.b, 0, o.warmupSeconds);
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  for (let r = 1; r <= o.rounds; r++) {
    as.push(await run(o.a, r));
    bs.push(await run(o.b, r));
  }
  const ratios = bs.map((b, i) => round(b.rps / Math.max(1, as[i]!.rps)));
  const cpuRatios = bs.map((b, i) => round(as[i]!.server_cpu_us_per_request / Math.max(1, b.server_cpu_us_per_request)));
  const summary = {
    bench: o.bench,
    db: o.db,
    summary: true,
    ratio_rps: ratios,
    ratio_cpu_per_request: cpuRatios,
    [`${o.b.side}_rps`]: bs.map((m) => m.rps),
    [`${o.a.side}_rps`]: as.map((m) => m.rps),
    [`${o.b.side}_p99_ms`]: bs.map((m) => m.p99_ms),
    [`${o.a.side}_p99_ms`]: as.map((m) => m.p99_ms),
    [`${o.b.side}_cpu_us_per_request`]: bs.map((m) => m.server_cpu_us_per_request),
    [`${o.a.side}_cpu_us_per_request`]: as.map((m) => m.server_cpu_us_per_request),
    load_average_at_start: as.map((m) => m.load_average_at_start[0]),
  };
  emitLine(summary);
  return summary;
}
