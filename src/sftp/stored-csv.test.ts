import { beforeAll, describe, expect, it } from 'vitest';
import { VendorDirectory } from './csv/file-scope.js';
import type { TypedRow } from './csv/rows.js';
import { openSftpCsv } from '../test-support/sftp-csv.js';
import { useTestContext } from '../test-support/test-app.js';
import { CHUNK_BYTES, createFile, insertChunk, sealFile, type SftpFile } from './sftp-files.repository.js';
import { StoredCsvRows } from './stored-csv.js';

const MAX_LINE = 64 * 1024;

/**
 * A stored file is parsed a slice at a time (a stored chunk is 1 MB; the reader gets 64 KB of it at
 * once): the typed rows must be the very rows of a parse of the whole file in one piece, wherever a
 * quoted cell, a multi-line cell or a CRLF falls, across slices and across stored chunks, and after a
 * resume that skips the rows already applied.
 */
describe('stored CSV rows, parsed a slice at a time', () => {
  const s = useTestContext({ chains: { a: 'Stored Csv' } });
  let directory: VendorDirectory;

  beforeAll(async () => {
    directory = new VendorDirectory([{ id: s.a.direct.id, code: s.a.direct.code, external_id: null }]);
  });

  /** ≈ 1.3 MB (two stored chunks): plain lines first, then (past the first slice) quoted cells, a multi-line cell and bad rows. */
  function content(): Buffer {
    const lines = ['sku,price,active'];
    let size = lines[0]!.length;
    const add = (line: string) => {
      lines.push(line);
      size += line.length + 2;
    };
    for (let i = 1; size < 3 * 64 * 1024 + 100; i++) add(`SKU-${i},${100 + (i % 900)}.5,${i % 7 ? 1 : 0}`);
    for (let i = 1; size < 1.3 * 1024 * 1024; i++) {
      if (i % 997 === 0) add(`"SKU-Q${i}","1${i % 10}.25","1"`);
      else if (i % 1499 === 0) add(`"SKU-M${i}\r\nsecond line",7,1`);
      else if (i % 2003 === 0) add(`SKU-B${i},abc,1`);
      else if (i % 2999 === 0) add(`SKU-C${i},1`);
      else add(`SKU-${i},${i % 500}.${i % 10},true`);
    }
    return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  }

  async function store(name: string, buf: Buffer): Promise<SftpFile> {
    return s.ctx.db.transaction().execute(async (trx) => {
      const file = await createFile(trx, { chainId: s.a.chain.id, folder: 'Assortment', name, uploadedBy: null, now: new Date() });
      let seq = 0;
      for (let pos = 0; pos < buf.length; pos += CHUNK_BYTES) await insertChunk(trx, file.id, pos, seq++, buf.subarray(pos, pos + CHUNK_BYTES));
      return sealFile(trx, file, buf.length, new Date());
    });
  }

  /** The same rows (compared as JSON: a deep equality of ~50,000 objects is slow on a loaded machine). */
  function expectSameRows(got: TypedRow[], expected: TypedRow[]): void {
    expect(got.length).toBe(expected.length);
    const at = got.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(expected[i]));
    expect(at === -1 ? undefined : got[at]).toEqual(at === -1 ? undefined : expected[at]);
  }

  async function whole(name: string, buf: Buffer): Promise<TypedRow[]> {
    const { rows } = await openSftpCsv(
      async function* () {
        yield buf;
      },
      name,
      directory,
      { maxLineBytes: MAX_LINE },
    );
    const out: TypedRow[] = [];
    for await (const r of rows) out.push(r);
    return out;
  }

  it('gives the rows of a one-piece parse, across slices, chunks and a resume', async () => {
    const name = `catalog_${s.a.direct.code}.csv`;
    const buf = content();
    expect(buf.length).toBeGreaterThan(CHUNK_BYTES);
    const file = await store(name, buf);
    const expected = await whole(name, buf);
    expect(expected.filter((r) => r.kind === 'error').length).toBeGreaterThan(10);
    expect(expected.some((r) => r.kind === 'catalog' && r.sku === 'SKU-M1499\r\nsecond line')).toBe(true);

    const got: TypedRow[] = [];
    const rows = await StoredCsvRows.open(s.ctx.db, file, directory, { maxLineBytes: MAX_LINE });
    let batch: TypedRow[];
    while ((batch = await rows.take(s.ctx.db, 5000)).length) got.push(...batch);
    expect(rows.done).toBe(true);
    expect(rows.consumed).toBe(expected.length);
    expectSameRows(got, expected);

    // Resume mid-file (another node, a restart): the same rows from there on.
    const resumed = await StoredCsvRows.open(s.ctx.db, file, directory, { maxLineBytes: MAX_LINE });
    await resumed.skip(s.ctx.db, 41_234);
    const rest: TypedRow[] = [];
    while ((batch = await resumed.take(s.ctx.db, 3000)).length) rest.push(...batch);
    expectSameRows(rest, expected.slice(41_234));
  }, 120_000);
});
