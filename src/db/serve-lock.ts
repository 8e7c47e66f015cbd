import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrivateFile, ensurePrivateDir } from '../platform/private-files.js';

export class ServeLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeLockError';
  }
}

export interface ServeLock {
  release(): void;
}

/**
 * One `serve` per SQLite file. The embedded database is for one process (several would fight over
 * its single writer and answer "database is locked"); PostgreSQL is the many-process path.
 *
 * The lock is an exclusive SQLite transaction held open on `<db>.lock`: an advisory file lock that
 * the kernel drops when the process ends in any way (kill -9 included), so a stale lock never blocks
 * a restart. `<db>.lock.pid` says who holds it, for the refusal message only.
 */
export function acquireServeLock(sqlitePath: string): ServeLock {
  const file = `${sqlitePath}.lock`;
  const pidFile = `${file}.pid`;
  // The first start of a fresh checkout: the data directory does not exist yet.
  ensurePrivateDir(path.dirname(file));
  createPrivateFile(file);
  const db = new BetterSqlite3(file);
  try {
    db.pragma('busy_timeout = 0');
    db.exec('create table if not exists holder (pid integer, host text, since text)');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('begin exclusive');
    db.prepare('delete from holder').run();
    db.prepare('insert into holder values (?, ?, ?)').run(process.pid, os.hostname(), new Date().toISOString());
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    let holder = 'another process';
    try {
      const info = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { pid?: number; since?: string };
      if (info.pid) holder = `process ${info.pid}${info.since ? ` (running since ${info.since})` : ''}`;
    } catch {
      /* no pid file: say "another process" */
    }
    throw new ServeLockError(
      `${sqlitePath} is already served by ${holder}. The embedded SQLite database takes one \`comanda serve\` at a time: ` +
        'stop the other one first, or set DATABASE_URL to PostgreSQL to run several processes',
    );
  }
  fs.writeFileSync(pidFile, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { mode: 0o600 });
  return {
    release() {
      if (!db.open) return;
      try {
        fs.rmSync(pidFile, { force: true });
      } finally {
        db.close();
      }
    },
  };
}
