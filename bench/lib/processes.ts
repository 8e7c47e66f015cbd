/**
 * Bench process helpers: every measured party (the server under test, its ceiling, the load
 * generator) is its own OS process, so on a small machine none of them measures the others' work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (what `npx comanda` runs). */
export const CLI = path.join(ROOT, 'bin/comanda.js');
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout + stderr, last 64 KB). */
  output(): string;
  /** Resolves with the first match of `pattern` in its output (rejects when it exits first or after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** User + system CPU seconds it has used so far (/proc/<pid>/stat). */
  cpuSeconds(): number;
  /** Peak resident set (VmHWM), MB. */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of live) c.kill('SIGKILL');
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
  env?: Record<string, string | undefined>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/** process.env with `extra` applied; an undefined value removes the variable. */
function envWith(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts `node [flags] args…` as a child process of the bench. */
export function spawnNode(opts: SpawnOptions): BenchProcess {
  const ts = opts.args[0]?.endsWith('.ts');
  const execArgv = [...(opts.nodeFlags ?? []), ...(ts ? ['--import', 'tsx'] : [])];
  const child = spawn(process.execPath, [...execArgv, ...opts.args], { cwd: ROOT, env: envWith(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-65_536);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${opts.name}] ${d}`);
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );
  const pid = child.pid!;
  return {
    name: opts.name,
    pid,
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${opts.name}: timed out waiting for ${pattern}; output:\n${out}`)), timeoutMs);
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`${opts.name} exited (${child.exitCode ?? child.signalCode}) before ${pattern}; output:\n${out}`));
          } else waiters.push(check);
        };
        check();
      });
    },
    cpuSeconds: () => cpuSecondsOf(pid),
    peakRssMb: () => peakRssMbOf(pid),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Runs a node script to completion; resolves with its exit code and output. */
export async function runNode(opts: SpawnOptions): Promise<{ code: number | null; stdout: string; stderr: string; cpuSeconds: number; peakRssMb: number }> {
  const ts = opts.args[0]?.endsWith('.ts');
  const execArgv = [...(opts.nodeFlags ?? []), ...(ts ? ['--import', 'tsx'] : [])];
  const child = spawn(process.execPath, [...execArgv, ...opts.args], { cwd: ROOT, env: envWith(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let cpu = 0;
  let peak = 0;
  const sample = () => {
    const c = cpuSecondsOf(child.pid!);
    if (!Number.isNaN(c)) cpu = c;
    const p = peakRssMbOf(child.pid!);
    if (!Number.isNaN(p)) peak = p;
  };
  const timer = setInterval(sample, 100);
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-65_536);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${opts.name}] ${d}`);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(timer);
  live.delete(child);
  return { code, stdout, stderr, cpuSeconds: cpu, peakRssMb: peak };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `comanda serve --roles …` (the built CLI) and waits until /health/ready answers. LOG_LEVEL
 * defaults to warn: at info every request is logged, which a benchmark would otherwise measure.
 */
export async function startComanda(opts: { name?: string; roles: string; env: Record<string, string | undefined>; nodeFlags?: string[] }): Promise<BenchProcess & { url: string }> {
  const port = await freePort();
  const p = spawnNode({ name: opts.name ?? 'comanda', args: [CLI, 'serve', '--roles', opts.roles], env: { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...opts.env, PORT: String(port) }, nodeFlags: opts.nodeFlags });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await p.stop(0);
      throw new Error(`${p.name} did not become ready:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return Object.assign(p, { url });
}

/** Waits for a child's one-line ready report: `{"ready":true,"url":"…"}` on stdout. */
export async function waitReady(p: BenchProcess): Promise<string> {
  const m = await p.waitFor(/\{"ready":true,"url":"(http:\/\/[^"]+)"\}/);
  return m[1]!;
}
