import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';

describe('SQLite connection lock', () => {
  let dir: string;
  let handle: DatabaseHandle;
  afterEach(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves waiters in arrival order: a caller running queries back to back does not keep the connection', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-lock-'));
    handle = openDatabase({ databaseUrl: undefined, sqlitePath: path.join(dir, 'db.sqlite') });
    const db = handle.db;
    await sql`select 1`.execute(db);
    const order: string[] = [];
    // A transaction holds the connection; meanwhile a busy caller queues, then a single query (the
    // dispatcher's claim after a commit, say). Once the transaction ends, the single query must run
    // right after the busy caller's first query, not after all of them.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const trx = db.transaction().execute(async (t) => {
      await sql`select 0`.execute(t);
      await held;
      order.push('trx');
    });
    await new Promise((r) => setImmediate(r));
    const busy = (async () => {
      for (let i = 0; i < 5; i++) {
        await sql`select ${i}`.execute(db);
        order.push(`busy${i}`);
      }
    })();
    await new Promise((r) => setImmediate(r));
    const single = sql`select 42`.execute(db).then(() => order.push('single'));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([trx, busy, single]);
    expect(order.indexOf('single')).toBeLessThanOrEqual(order.indexOf('busy1'));
    expect(order.slice(0, 2)).toEqual(['trx', 'busy0']);
  });

  it('hands the connection over in constant time: 4x the waiters take about 4x as long, not 16x', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-lock-'));
    handle = openDatabase({ databaseUrl: undefined, sqlitePath: path.join(dir, 'db.sqlite') });
    const db = handle.db;
    await sql`select 1`.execute(db);
    const queued = async (n: number) => {
      let best = Infinity;
      for (let round = 0; round < 3; round++) {
        const t0 = performance.now();
        await Promise.all(Array.from({ length: n }, (_, i) => sql`select ${i}`.execute(db)));
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    await queued(500); // warm-up
    const small = await queued(1000);
    const large = await queued(4000);
    // Each release used to wake every waiter (quadratic: ~16x); a queue hands over to one (~4x).
    expect(large / small).toBeLessThan(10);
  });

  it('a transaction takes the write lock at begin: a read-then-write transaction never fails because another process wrote in between', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-lock-'));
    const file = path.join(dir, 'db.sqlite');
    handle = openDatabase({ databaseUrl: undefined, sqlitePath: file });
    const db = handle.db;
    await sql`create table t (id integer primary key, v integer)`.execute(db);
    await sql`insert into t values (1, 0), (2, 0)`.execute(db);
    // Another process's connection (a CLI command beside the server), impatient so the test stays quick.
    const other = new BetterSqlite3(file);
    other.pragma('busy_timeout = 50');
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let readDone!: () => void;
      const read = new Promise<void>((r) => (readDone = r));
      const trx = db.transaction().execute(async (t) => {
        await sql`select v from t where id = 2`.execute(t);
        readDone();
        await held;
        await sql`update t set v = v + 1 where id = 2`.execute(t);
      });
      await read;
      // With a deferred begin this write would succeed, and the transaction's own write would then fail at
      // once with SQLITE_BUSY_SNAPSHOT; with begin immediate the other writer waits for the lock instead.
      expect(() => other.prepare('update t set v = v + 1 where id = 1').run()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      release();
      await trx;
      other.prepare('update t set v = v + 1 where id = 1').run();
      expect(other.prepare('select id, v from t order by id').all()).toEqual([
        { id: 1, v: 1 },
        { id: 2, v: 1 },
      ]);
    } finally {
      other.close();
    }
  });
});
