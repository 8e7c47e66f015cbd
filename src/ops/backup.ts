import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { redactUrl } from '../db/database.js';

export class BackupError extends Error {}

export interface BackupResult {
  database: 'sqlite' | 'postgres';
  file: string;
  bytes: number;
  format: 'sqlite' | 'pg_dump custom';
  /** How to put it back (docs/operations.md has the whole procedure). */
  restore: string;
}

/**
 * A consistent copy of the database while the server keeps running. SQLite: the online backup API
 * (better-sqlite3 `backup()`, page by page, writers are not blocked); PostgreSQL: `pg_dump
 * --format=custom` (one snapshot). The secret key is not in it: keep COMANDA_SECRET_KEY or
 * <data dir>/secret.key with the backup, or the stored webhook secrets cannot be opened.
 */
export async function backupDatabase(config: Pick<Config, 'databaseUrl' | 'sqlitePath'>, out: string): Promise<BackupResult> {
  const file = path.resolve(out);
  if (fs.existsSync(file)) throw new BackupError(`--out: ${file} exists; choose a new file name`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!config.databaseUrl) {
    if (!fs.existsSync(config.sqlitePath)) throw new BackupError(`no database at ${config.sqlitePath} (set COMANDA_DATA_DIR)`);
    const db = new Database(config.sqlitePath, { readonly: true, fileMustExist: true });
    try {
      await db.backup(file);
    } finally {
      db.close();
    }
    fs.chmodSync(file, 0o600);
    return { database: 'sqlite', file, bytes: fs.statSync(file).size, format: 'sqlite', restore: `stop the server, then copy ${file} to ${config.sqlitePath} (remove ${config.sqlitePath}-wal and -shm)` };
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--file', file, config.databaseUrl!], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new BackupError(err.code === 'ENOENT' ? 'pg_dump is not installed: apt-get install -y postgresql-client (the same major version as the server or newer)' : err.message)),
    );
    child.once('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`pg_dump of ${redactUrl(config.databaseUrl!)} failed (${code}): ${stderr.trim().split('\n').pop() ?? ''}`))));
  });
  fs.chmodSync(file, 0o600);
  return { database: 'postgres', file, bytes: fs.statSync(file).size, format: 'pg_dump custom', restore: `pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${file}` };
}
