/**
 * Child processes for the tests and the benchmarks: the `comanda` CLI, servers, helper scripts.
 * One way to spawn node, collect what it prints, wait for a line or for /health/ready, and stop it;
 * bench/lib/processes.ts adds CPU and memory readings on top.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (`npm test` builds first), i.e. exactly what `npx comanda` runs. */
export const CLI = path.join(ROOT, 'bin/comanda.js');
/** The CLI from its TypeScript sources (through tsx): no build needed. */
export const MAIN = path.join(ROOT, 'src/main.ts');

// Never leave a child behind when this process ends.
const live = new Set<ChildProcess>();
process.once('exit', () => killAll());

/** SIGKILLs every child still running (also done when this process exits). */
export function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** process.env with `extra` applied; an undefined value removes the variable. */
export function envWith(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves). */
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

export interface NodeOptions {
  /** A script path first, then its arguments; a `.ts` script runs through tsx. */
  args: string[];
  /** The child's whole environment (see envWith). */
  env: NodeJS.ProcessEnv;
  /** For messages. */
  name?: string;
  /** Node flags before the script (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** 'pipe' leaves the child's stdin open; default 'ignore'. */
  stdin?: 'pipe' | 'ignore';
  /** 'ignore' drops the child's stdout; default 'pipe'. */
  stdout?: 'pipe' | 'ignore';
  /** Keep only the last this many characters of each output buffer (default: everything). */
  keep?: number;
  /** Sees every chunk as it arrives (e.g. to copy it to a log). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Default timeout of waitFor. */
  waitTimeoutMs?: number;
}

export interface NodeProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** stdout and stderr as they interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in output() (rejects when it exits first or after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code when it has exited (null after a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves once it has exited and its output is complete. */
  readonly closed: Promise<number | null>;
  /** Sends `signal` (default SIGTERM), then SIGKILL after `graceMs` if given; resolves with the exit code. */
  stop(opts?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<number | null>;
}

/** Starts `node [flags] args…` (cwd: the repository root). */
export function spawnNode(opts: NodeOptions): NodeProcess {
  const name = opts.name ?? path.basename(opts.args[0] ?? 'node');
  const ts = opts.args[0]?.endsWith('.ts');
  const execArgv = [...(opts.nodeFlags ?? []), ...(ts ? ['--import', 'tsx'] : [])];
  const child = spawn(process.execPath, [...execArgv, ...opts.args], { cwd: ROOT, env: opts.env, stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe'] });
  live.add(child);
  const keep = opts.keep ?? Number.POSITIVE_INFINITY;
  const trim = (s: string) => (s.length > keep ? s.slice(-keep) : s);
  let out = '';
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', (d: Buffer) => {
    out = trim(out + d.toString());
    stdout = trim(stdout + d.toString());
    opts.onOutput?.(d, 'stdout');
    wake();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out = trim(out + d.toString());
    stderr = trim(stderr + d.toString());
    opts.onOutput?.(d, 'stderr');
    wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
      wake();
    }),
  );
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  // A failed spawn rejects `closed`; whoever does not wait for it should not see an unhandled rejection.
  closed.catch(() => {});
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    pid: child.pid!,
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(pattern, timeoutMs = opts.waitTimeoutMs ?? 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: timed out waiting for ${pattern}; output:\n${out}`)), timeoutMs);
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (gone()) {
            clearTimeout(timer);
            reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ${pattern}; output:\n${out}`));
          } else waiters.push(check);
        };
        check();
      });
    },
    exited,
    closed,
    async stop({ signal = 'SIGTERM', graceMs }: { signal?: NodeJS.Signals; graceMs?: number } = {}) {
      if (gone()) return exited;
      child.kill(signal);
      const t = graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/**
 * Waits until `url`/health/ready answers 200. Throws (with what the process printed) when it exits
 * first, or SIGKILLs it and throws after `timeoutMs`.
 */
export async function waitUntilReady(p: NodeProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await p.stop({ signal: 'SIGKILL' });
      throw new Error(`${p.name} did not become ready:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ServeOptions extends Omit<NodeOptions, 'args'> {
  roles: string;
  /** CLI (built, default) or MAIN (sources through tsx). */
  entry?: string;
  /** How long the server may take to become ready. */
  readyTimeoutMs: number;
  /** Called as soon as the process is spawned. */
  onStart?: (p: NodeProcess) => void;
}

/** Starts `comanda serve --roles …` on a free port of 127.0.0.1 and waits until /health/ready answers. */
export async function startServe(opts: ServeOptions): Promise<NodeProcess & { url: string }> {
  const port = await freePort();
  const { roles, entry = CLI, readyTimeoutMs, onStart, ...rest } = opts;
  const p = spawnNode({ name: 'comanda', ...rest, args: [entry, 'serve', '--roles', roles], env: { ...opts.env, PORT: String(port), HOST: '127.0.0.1' } });
  onStart?.(p);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(p, url, readyTimeoutMs);
  return Object.assign(p, { url });
}

// ------------------------------------------------------------------ the tests' helpers

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function result(p: NodeProcess): Promise<CliResult> {
  const code = await p.closed;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Runs `comanda <args>` (the built CLI) as a real child process. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return result(spawnNode({ name: 'comanda', args: [CLI, ...args], env: envWith(env), stdin: 'pipe' }));
}

export interface CliProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout+stderr (or rejects after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `comanda <args>` (the built CLI) as a long-running child process. */
export function startProcess(args: string[], env: Record<string, string | undefined>): CliProcess {
  const p = spawnNode({ name: 'comanda', args: [CLI, ...args], env: envWith(env), stdin: 'pipe' });
  return { child: p.child, output: p.output, waitFor: p.waitFor, stop: (signal = 'SIGTERM') => p.stop({ signal }) };
}

/** Environment that points a child `comanda` process at the test's database. */
export function envFor(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), COMANDA_ENV: 'test', COMANDA_DATA_DIR: config.dataDir, LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL;
  if (config.databaseUrl) env.DATABASE_URL = config.databaseUrl;
  return env;
}

/** Runs the real CLI (TypeScript sources through tsx) and collects its output. */
export function runComanda(args: string[], env: Record<string, string>): Promise<CliResult> {
  return result(spawnNode({ name: 'comanda', args: [MAIN, ...args], env }));
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** kill -9 */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/**
 * Starts `comanda serve` (sources through tsx) as a child process and waits until /health/ready
 * answers. COMANDA_CHILD_LOG=file appends its stderr there.
 */
export async function startServerProcess(env: Record<string, string>, roles = 'api,worker'): Promise<ServerProcess> {
  const childLog = process.env.COMANDA_CHILD_LOG;
  const p = await startServe({
    roles,
    entry: MAIN,
    env,
    stdout: 'ignore',
    keep: 4000,
    // tsx boot on a loaded 2-core machine can take tens of seconds
    readyTimeoutMs: 120_000,
    ...(childLog && {
      onOutput: (d: Buffer) => fs.appendFileSync(childLog, d),
      onStart: (c: NodeProcess) => c.child.on('exit', (code, signal) => fs.appendFileSync(childLog, `[child ${c.pid} exited code=${code} signal=${signal}]\n`)),
    }),
  });
  return {
    url: p.url,
    child: p.child,
    kill: async () => {
      await p.stop({ signal: 'SIGKILL' });
    },
    stop: async () => {
      await p.stop();
    },
  };
}
