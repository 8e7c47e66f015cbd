/**
 * Bench process helpers: every measured party (the server under test, its ceiling, the load
 * generator) is its own OS process, so on a small machine none of them measures the others' work.
 * Spawning and waiting are the tests' (src/test-support/processes.ts); this adds CPU seconds and
 * peak RSS from /proc, and kills the children when the bench is interrupted.
 */
import fs from 'node:fs';
import { CLI, envWith, killAll, spawnNode as spawnChild, startServe, type NodeProcess } from '../../src/test-support/processes.js';

export { CLI, freePort, ROOT } from '../../src/test-support/processes.js';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

export interface BenchProcess extends Omit<NodeProcess, 'stop'> {
  /** User + system CPU seconds it has used so far (/proc/<pid>/stat). */
  cpuSeconds(): number;
  /** Peak resident set (VmHWM), MB. */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** CPU seconds (utime + stime) of a process from /proc; NaN once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export function peakRssMbOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface SpawnOptions {
  name: string;
  /** Arguments to node (a script path first); TypeScript scripts run through tsx. */
  args: string[];
  /** Applied over process.env; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/** Output kept per child: the last 64 KB. */
const KEEP = 65_536;

const echo = (name: string) => (process.env.BENCH_VERBOSE ? (d: Buffer) => process.stderr.write(`[${name}] ${d}`) : undefined);

function benchProcess(p: NodeProcess): BenchProcess {
  return {
    ...p,
    cpuSeconds: () => cpuSecondsOf(p.pid),
    peakRssMb: () => peakRssMbOf(p.pid),
    stop: async (graceMs = 10_000) => {
      await p.stop({ graceMs });
    },
  };
}

/** Starts `node [flags] args…` as a child process of the bench. */
export function spawnNode(opts: SpawnOptions): BenchProcess {
  return benchProcess(spawnChild({ name: opts.name, args: opts.args, env: envWith(opts.env), nodeFlags: opts.nodeFlags, keep: KEEP, onOutput: echo(opts.name), waitTimeoutMs: 120_000 }));
}

/** Runs a node script to completion; resolves with its exit code, output, CPU seconds and peak RSS. */
export async function runNode(opts: SpawnOptions): Promise<{ code: number | null; stdout: string; stderr: string; cpuSeconds: number; peakRssMb: number }> {
  const verbose = echo(opts.name);
  const p = spawnChild({ name: opts.name, args: opts.args, env: envWith(opts.env), nodeFlags: opts.nodeFlags, onOutput: (d, stream) => (stream === 'stderr' ? verbose?.(d) : undefined) });
  let cpu = 0;
  let peak = 0;
  // Sampled while it runs: /proc/<pid> is gone once it has exited.
  const sample = () => {
    const c = cpuSecondsOf(p.pid);
    if (!Number.isNaN(c)) cpu = c;
    const r = peakRssMbOf(p.pid);
    if (!Number.isNaN(r)) peak = r;
  };
  const timer = setInterval(sample, 100);
  const code = await p.closed;
  clearInterval(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr().slice(-KEEP), cpuSeconds: cpu, peakRssMb: peak };
}

/**
 * Starts `comanda serve --roles …` (the built CLI) and waits until /health/ready answers. LOG_LEVEL
 * defaults to warn: at info every request is logged, which a benchmark would otherwise measure.
 */
export async function startComanda(opts: { name?: string; roles: string; env: Record<string, string | undefined>; nodeFlags?: string[] }): Promise<BenchProcess & { url: string }> {
  const name = opts.name ?? 'comanda';
  const p = await startServe({ name, roles: opts.roles, entry: CLI, env: envWith({ LOG_LEVEL: 'warn', ...opts.env }), nodeFlags: opts.nodeFlags, keep: KEEP, onOutput: echo(name), waitTimeoutMs: 120_000, readyTimeoutMs: 180_000 });
  return { ...benchProcess(p), url: p.url };
}

/** Waits for a child's one-line ready report: `{"ready":true,"url":"…"}` on stdout. */
export async function waitReady(p: BenchProcess): Promise<string> {
  const m = await p.waitFor(/\{"ready":true,"url":"(http:\/\/[^"]+)"\}/);
  return m[1]!;
}
