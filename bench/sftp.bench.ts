/**
 * SFTP catalog file benchmark. Needs the build (`npm run build`): the measured server is the
 * real CLI.
 *
 *   npm run build && npx tsx bench/sftp.bench.ts            # SQLite, 1,000,000 rows
 *   npx tsx bench/sftp.bench.ts --postgres                  # PostgreSQL (TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_ROWS=200000 BENCH_ROUNDS=2 npx tsx bench/sftp.bench.ts
 *
 * In one run on one machine:
 *  1. seeds N products listed on one vendor with `comanda catalog import` (a child process),
 *  2. starts `comanda serve --roles sftp,worker` (a child process: the measured one), uploads an N-row
 *     catalog CSV (`sku,price,active`, every price changed) into Assortment/ with the real OpenSSH
 *     `sftp -b`, and measures upload closed → job COMPLETED (the job's created_at is written in the
 *     transaction that seals the upload; finished_at by the step that writes the last results),
 *     the server's CPU time over that window (/proc/<pid>/stat) and its peak RSS (VmHWM),
 *  3. runs the bare baseline over the same file as its own process (bench/sftp-baseline.ts):
 *     csv-parse (streaming), one multi-row UPDATE … FROM (VALUES …) per 1,000 rows, one transaction
 *     per batch, against the same listings — its wall time, CPU time and peak RSS are its own.
 * BENCH_ROUNDS=n repeats 2–3 (A B A B …), each round with a file that changes every price again;
 * one JSON line per round (load average at its start, ratios to the baseline, peak RSS).
 * BENCH_CPU_PROF=dir runs the server with --cpu-prof (the profile is written when it stops).
 * The machine may be shared: CPU-time ratios are reported beside wall-clock ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../src/bootstrap.js';
import { createChain } from '../src/chains/chains.service.js';
import { createLogger } from '../src/platform/logger.js';
import { createSftpLogin } from '../src/sftp/sftp-users.service.js';
import { OpenSshWorkspace, sftpBatch } from '../src/test-support/openssh.js';
import { freePort } from '../src/test-support/processes.js';
import { createTestDatabase } from '../src/test-support/test-db.js';
import { createVendor } from '../src/vendors/vendors.service.js';

const POSTGRES = process.argv.includes('--postgres') || process.env.BENCH_DB === 'postgres';
process.env.COMANDA_TEST_DB = POSTGRES ? 'postgres' : 'sqlite';
const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** A B rounds: the SFTP job, then the bare baseline (its own process), each round a file with new prices. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(ROOT, 'bin/comanda.js');
/** Node flags for the measured server, e.g. BENCH_CPU_PROF=dir → --cpu-prof (written when it stops). */
const SERVER_FLAGS = [
  ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : []),
  // e.g. BENCH_SERVER_NODE_FLAGS=--trace-gc with BENCH_SERVER_LOG=file (the server's output kept there).
  ...(process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean),
];
const TICK = 100; // clock ticks per second (Linux USER_HZ)
const sku = (i: number) => `SKU-${String(i).padStart(8, '0')}`;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** utime+stime of a process, seconds. */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function hwmMb(pid: number | 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function writeLines(file: string, header: string, line: (i: number) => string): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${header}\n`);
  let buf = '';
  for (let i = 1; i <= N; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return fs.statSync(file).size;
}

interface BaselineResult {
  rows: number;
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
}

/** bench/sftp-baseline.ts as a child process (tsx), on the server's database. */
function runBaseline(file: string, vendorId: string, env: Record<string, string>): Promise<BaselineResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/sftp-baseline.ts'), file, vendorId], { env: { ...process.env, ...env }, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"baseline":'));
      if (code !== 0 || !line) reject(new Error(`baseline failed (${code}): ${err}`));
      else resolve((JSON.parse(line) as { baseline: BaselineResult }).baseline);
    });
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('run `npm run build` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-sftp-bench-'));
  const tdb = await createTestDatabase({ logLevel: 'warn' });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'warn' }) });
  const env = { COMANDA_DATA_DIR: tdb.dataDir, DATABASE_URL: tdb.config.databaseUrl ?? '', LOG_LEVEL: 'warn' };
  const ws = new OpenSshWorkspace();
  let server: ChildProcess | undefined;
  try {
    const chain = await createChain(ctx, { name: 'Bench SFTP', country_code: 'AR', currency: 'ARS' }, 'bench');
    const vendor = await createVendor(ctx, chain.id, { name: 'Bench store', integration_type: 'DIRECT_POS', code: 'bnch' }, 'bench');

    log(`seeding ${N} products (${ctx.dialect}) with comanda catalog import…`);
    const seedFile = path.join(tmp, 'seed.csv');
    await writeLines(seedFile, 'sku,title,price,active', (i) => `${sku(i)},Producto ${i},${100 + (i % 5000)}.50,true`);
    const seeded = await run(['catalog', 'import', seedFile, '--vendor', vendor.code], env);
    if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.out}`);

    const upload = path.join(ws.dir, 'catalog_bnch.csv');
    const pair = ws.keyPair('bench');
    const login = await createSftpLogin(ctx, chain.id, { public_keys: [pair.publicKey] }, 'bench');
    const sftpPort = await freePort();
    server = spawn(process.execPath, [...SERVER_FLAGS, CLI, 'serve', '--roles', 'sftp,worker'], { env: { ...process.env, ...env, PORT: '0', SFTP_PORT: String(sftpPort), LOG_LEVEL: 'info' }, cwd: ROOT });
    const child = server;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('sftp listening')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });
    if (process.env.BENCH_SERVER_LOG) {
      const logFile = fs.createWriteStream(process.env.BENCH_SERVER_LOG);
      child.stdout!.pipe(logFile);
      child.stderr!.pipe(logFile);
    }
    const pid = child.pid!;
    const rssIdle = rssMb(pid);
    const seenJobs = new Set<string>();

    for (let round = 1; round <= ROUNDS; round++) {
      // Every round's file changes every price again (and differs from the seed), so each job and
      // each baseline writes every row.
      const bytes = await writeLines(upload, 'sku,price,active', (i) => `${sku(i)},${200 + ((i + 3 * round) % 7000)}.25,${i % 13 ? 1 : 0}`);
      const load_average_at_start = os.loadavg().map((x) => +x.toFixed(2));

      // A: the SFTP path. The job row commits with the upload's CLOSE; from then on the server's CPU is the job's.
      let cpuAtClose: number | undefined;
      let jobId: string | undefined;
      let rssUpload = rssMb(pid);
      let rssJob = 0;
      const watcher = (async () => {
        while (cpuAtClose === undefined) {
          const cpu = cpuOf(pid);
          rssUpload = Math.max(rssUpload, rssMb(pid));
          const rows = await ctx.db.selectFrom('jobs').select('id').where('type', '=', 'sftp_file').execute();
          const fresh = rows.find((r) => !seenJobs.has(r.id));
          if (fresh) {
            cpuAtClose = cpu;
            jobId = fresh.id;
          } else await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const t0 = Date.now();
      const put = await sftpBatch(ws, { port: sftpPort, username: login.username, privateKey: pair.privateKey }, ['put catalog_bnch.csv Assortment/catalog_bnch.csv'], 600_000);
      if (put.code !== 0) throw new Error(`sftp failed: ${put.stderr}`);
      const uploadSec = (Date.now() - t0) / 1000;
      await watcher;
      seenJobs.add(jobId!);
      type JobRow = { status: string; created_at: unknown; finished_at: unknown; counts: unknown; error: string | null };
      let job: JobRow | undefined;
      for (;;) {
        job = (await ctx.db.selectFrom('jobs').select(['status', 'created_at', 'finished_at', 'counts', 'error']).where('id', '=', jobId!).executeTakeFirst()) as JobRow | undefined;
        rssJob = Math.max(rssJob, rssMb(pid));
        if (job && (job.status === 'COMPLETED' || job.status === 'FAILED')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const jobCpu = cpuOf(pid) - cpuAtClose!;
      const serverHwm = hwmMb(pid);
      const ms = (v: unknown) => new Date(v as string).getTime();
      const jobSec = (ms(job.finished_at) - ms(job.created_at)) / 1000;
      const results = await ctx.db.selectFrom('sftp_files').select(['name', 'size']).where('folder', '=', 'results').where('status', '=', 'sealed').execute();
      log(`round ${round}: job ${job.status} ${JSON.stringify(job.counts)} ${job.error ?? ''} in ${jobSec.toFixed(2)} s; results ${JSON.stringify(results)}`);

      // B: the bare baseline over the same file, its own process.
      const base = await runBaseline(upload, vendor.id, env);
      log(`round ${round}: baseline ${JSON.stringify(base)}`);

      const report = {
        round,
        load_average_at_start,
        database: ctx.dialect,
        rows: N,
        file_mb: +(bytes / 1e6).toFixed(1),
        upload_seconds: +uploadSec.toFixed(2),
        job_status: job.status,
        job_seconds_upload_closed_to_completed: +jobSec.toFixed(2),
        job_rows_per_second: Math.round(N / jobSec),
        baseline_seconds: +base.seconds.toFixed(2),
        baseline_rows_per_second: Math.round(base.rows / base.seconds),
        ratio_to_baseline: +(base.seconds / jobSec).toFixed(2),
        job_cpu_seconds: +jobCpu.toFixed(2),
        baseline_cpu_seconds: +base.cpu_seconds.toFixed(2),
        ratio_to_baseline_cpu: +(base.cpu_seconds / jobCpu).toFixed(2),
        server_peak_rss_mb: serverHwm,
        baseline_peak_rss_mb: base.peak_rss_mb,
        server_rss_mb_idle: rssIdle,
        server_rss_mb_max_sampled_during_upload: rssUpload,
        server_rss_mb_max_sampled_during_job: rssJob,
        results_file_mb: +((results[0]?.size ?? 0) / 1e6).toFixed(1),
        load_average_at_end: os.loadavg().map((x) => +x.toFixed(2)),
        cpus: os.cpus().length,
        node: process.version,
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
    child.kill('SIGTERM');
    if (SERVER_FLAGS.length) await new Promise((r) => child.once('exit', r));
  } finally {
    server?.kill('SIGKILL');
    await ctx.handle.close();
    await tdb.drop();
    ws.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
