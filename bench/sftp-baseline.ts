/**
 * The bare baseline of bench/sftp.bench.ts, run as its own process (so its CPU, wall time and peak
 * RSS are its own): a streaming csv-parse over the uploaded file and one bare
 * `WITH v(…) AS (VALUES …) UPDATE listings … FROM v` per 1,000 rows, one transaction per batch —
 * no validation, no per-row results, no results file, no job.
 *
 *   npx tsx bench/sftp-baseline.ts <file.csv> <vendor-id>   (COMANDA_DATA_DIR / DATABASE_URL as the server's)
 *
 * Prints one JSON line: {"baseline": {rows, seconds, cpu_seconds, peak_rss_mb}}.
 */
import { parse } from 'csv-parse';
import fs from 'node:fs';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const [file, vendorId] = process.argv.slice(2);
if (!file || !vendorId) throw new Error('usage: sftp-baseline.ts <file.csv> <vendor-id>');

function hwmMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const handle = openDatabase(loadConfig(process.env));
const db = handle.db;
// The connection is opened (and SQLite's pragmas applied) before the clock starts.
await sql`select 1`.execute(db);
const t0 = Date.now();
const cpu0 = process.cpuUsage();
const parser = fs.createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
let batch: Array<{ sku: string; price: string; active: string }> = [];
let applied = 0;
const flush = async () => {
  if (!batch.length) return;
  const rows = batch;
  batch = [];
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const values = sql.join(rows.map((r) => sql`(${r.sku}, ${Math.trunc(Number(r.price) * 1000)}, ${r.active === '1' || r.active === 'true'})`));
    await sql`with v(sku, price_milli, active) as (values ${values}) update listings set price_milli = cast(v.price_milli as bigint), active = cast(v.active as boolean), updated_at = ${now} from v where listings.vendor_id = ${vendorId} and listings.sku = v.sku`.execute(trx);
  });
  applied += rows.length;
};
for await (const rec of parser) {
  batch.push(rec as { sku: string; price: string; active: string });
  if (batch.length >= 1000) await flush();
}
await flush();
const seconds = (Date.now() - t0) / 1000;
const u = process.cpuUsage(cpu0);
await handle.close();
process.stdout.write(`${JSON.stringify({ baseline: { rows: applied, seconds, cpu_seconds: (u.user + u.system) / 1e6, peak_rss_mb: hwmMb() } })}\n`);
