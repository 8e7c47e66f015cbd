import type { Selectable } from 'kysely';
import { keysetRows } from '../db/keyset.js';
import type { Executor, Trx } from '../db/database.js';
import { iso, isoOrNull, num } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import type { SftpFilesTable } from '../db/tables/sftp.js';
import { unfinishedJobParams } from '../jobs/index.js';

/** The two folders of every chain's virtual file system. */
export type Folder = 'Assortment' | 'results';

/** Files are stored as rows of at most this many bytes (a client's writes are coalesced up to it). */
export const CHUNK_BYTES = 1024 * 1024;

export interface SftpFile {
  id: string;
  chainId: string;
  folder: Folder;
  name: string;
  status: 'uploading' | 'sealed';
  size: number;
  uploadedBy: string | null;
  createdAt: string;
  sealedAt: string | null;
}

/** Both drivers return Buffers for blob/bytea; copy only if a driver ever hands back a Uint8Array. */
function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value);
}

function toFile(row: Selectable<SftpFilesTable>): SftpFile {
  return {
    id: row.id,
    chainId: row.chain_id,
    folder: row.folder as Folder,
    name: row.name,
    status: row.status as SftpFile['status'],
    size: num(row.size),
    uploadedBy: row.uploaded_by,
    createdAt: iso(row.created_at),
    sealedAt: isoOrNull(row.sealed_at),
  };
}

/** Starts a new (not yet visible) file; it becomes visible when sealed. */
export async function createFile(db: Executor, input: { chainId: string; folder: Folder; name: string; uploadedBy: string | null; now: Date }): Promise<SftpFile> {
  const at = input.now.toISOString();
  const row = {
    id: uuid(),
    chain_id: input.chainId,
    folder: input.folder,
    name: input.name,
    status: 'uploading',
    size: 0,
    uploaded_by: input.uploadedBy,
    created_at: at,
    updated_at: at,
    sealed_at: null,
  };
  await db.insertInto('sftp_files').values(row).execute();
  return toFile(row);
}

export async function insertChunk(db: Executor, fileId: string, pos: number, seq: number, data: Buffer): Promise<void> {
  await db.insertInto('sftp_file_chunks').values({ file_id: fileId, pos, seq, len: data.length, data }).execute();
}

/**
 * Makes the chunks of a file non-overlapping and gap-free (later writes win, holes read as zeros),
 * one window of CHUNK_BYTES at a time so memory stays bounded. Clients that write sequentially (all
 * common ones) already produce such a layout, and then this only reads the chunk index.
 */
async function normaliseChunks(trx: Trx, fileId: string, size: number): Promise<void> {
  const index = await trx.selectFrom('sftp_file_chunks').select(['pos', 'len', 'seq']).where('file_id', '=', fileId).orderBy('pos').orderBy('seq').execute();
  let expected = 0;
  let contiguous = true;
  for (const c of index) {
    if (num(c.pos) !== expected) {
      contiguous = false;
      break;
    }
    expected += c.len;
  }
  if (contiguous && expected === size) return;
  for (let w = 0; w < size; w += CHUNK_BYTES) {
    const end = Math.min(size, w + CHUNK_BYTES);
    const window = Buffer.alloc(end - w);
    const parts = await trx
      .selectFrom('sftp_file_chunks')
      .selectAll()
      .where('file_id', '=', fileId)
      .where('seq', '>=', 0)
      .where('pos', '<', end)
      .where((eb) => eb(eb('pos', '+', eb.ref('len')), '>', w))
      .orderBy('seq')
      .execute();
    for (const p of parts) {
      const pos = num(p.pos);
      const from = Math.max(w, pos);
      const to = Math.min(end, pos + p.len);
      asBuffer(p.data).copy(window, from - w, from - pos, to - pos);
    }
    await trx.insertInto('sftp_file_chunks').values({ file_id: fileId, pos: w, seq: -1, len: window.length, data: window }).execute();
  }
  await trx.deleteFrom('sftp_file_chunks').where('file_id', '=', fileId).where('seq', '>=', 0).execute();
  await trx.updateTable('sftp_file_chunks').set({ seq: 0 }).where('file_id', '=', fileId).execute();
}

/**
 * Seals an upload: chunks normalised, the file made visible, and an older file of the same name in
 * the same folder replaced. Runs inside the caller's transaction so the hand-off is atomic.
 */
export async function sealFile(trx: Trx, file: SftpFile, size: number, now: Date): Promise<SftpFile> {
  await normaliseChunks(trx, file.id, size);
  const older = await trx
    .selectFrom('sftp_files')
    .select('id')
    .where('chain_id', '=', file.chainId)
    .where('folder', '=', file.folder)
    .where('name', '=', file.name)
    .where('status', '=', 'sealed')
    .where('id', '!=', file.id)
    .execute();
  if (older.length) await deleteFiles(trx, older.map((o) => o.id));
  const at = now.toISOString();
  await trx.updateTable('sftp_files').set({ status: 'sealed', size, sealed_at: at, updated_at: at }).where('id', '=', file.id).execute();
  return { ...file, status: 'sealed', size, sealedAt: at };
}

export async function deleteFiles(db: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  // Explicit chunk delete: SQLite foreign-key cascades depend on a pragma we do not want to rely on.
  await db.deleteFrom('sftp_file_chunks').where('file_id', 'in', ids).execute();
  await db.deleteFrom('sftp_files').where('id', 'in', ids).execute();
}

/** Sealed files of a folder, by name. */
export async function listFolder(db: Executor, chainId: string, folder: Folder, limit = 10_000): Promise<SftpFile[]> {
  const rows = await db
    .selectFrom('sftp_files')
    .selectAll()
    .where('chain_id', '=', chainId)
    .where('folder', '=', folder)
    .where('status', '=', 'sealed')
    .orderBy('name')
    .limit(limit)
    .execute();
  return rows.map(toFile);
}

export async function findSealedFile(db: Executor, chainId: string, folder: Folder, name: string): Promise<SftpFile | undefined> {
  const row = await db
    .selectFrom('sftp_files')
    .selectAll()
    .where('chain_id', '=', chainId)
    .where('folder', '=', folder)
    .where('name', '=', name)
    .where('status', '=', 'sealed')
    .orderBy('sealed_at', 'desc')
    .executeTakeFirst();
  return row && toFile(row);
}

export async function findFileById(db: Executor, id: string): Promise<SftpFile | undefined> {
  const row = await db.selectFrom('sftp_files').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFile(row);
}

/** The chunk of a sealed file that holds byte `position`, or undefined past the end. */
export async function chunkAt(db: Executor, fileId: string, position: number): Promise<{ pos: number; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('sftp_file_chunks')
    .select(['pos', 'data'])
    .where('file_id', '=', fileId)
    .where('pos', '<=', position)
    .orderBy('pos', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const data = asBuffer(row.data);
  const pos = num(row.pos);
  return position < pos + data.length ? { pos, data } : undefined;
}

/** Streams a sealed file's bytes from the database, a few chunks per query (never the whole file). */
export async function* readFileChunks(db: Executor, fileId: string, pageSize = 4): AsyncGenerator<Buffer> {
  const page = (after: number) => db.selectFrom('sftp_file_chunks').select(['pos', 'data']).where('file_id', '=', fileId).where('pos', '>', after).orderBy('pos').limit(pageSize).execute();
  for await (const r of keysetRows(page, (r) => num(r.pos), pageSize)) yield asBuffer(r.data);
}

/** Uploads left `uploading` by a connection that died (or a node that crashed) before CLOSE. */
export async function deleteAbandonedUploads(db: Executor, olderThan: Date): Promise<number> {
  const rows = await db.selectFrom('sftp_files').select('id').where('status', '=', 'uploading').where('updated_at', '<', olderThan.toISOString()).execute();
  await deleteFiles(db, rows.map((r) => r.id));
  return rows.length;
}

export async function touchFile(db: Executor, fileId: string, now: Date): Promise<void> {
  await db.updateTable('sftp_files').set({ updated_at: now.toISOString() }).where('id', '=', fileId).execute();
}

/** The stored chunk starting at or after byte `pos` (sealed files: contiguous chunks), or undefined at the end. */
export async function chunkFrom(db: Executor, fileId: string, pos: number): Promise<{ pos: number; data: Buffer } | undefined> {
  const row = await db.selectFrom('sftp_file_chunks').select(['pos', 'data']).where('file_id', '=', fileId).where('pos', '>=', pos).orderBy('pos').limit(1).executeTakeFirst();
  return row && { pos: num(row.pos), data: asBuffer(row.data) };
}

/** Bytes the chain's stored uploads take (sealed files of Assortment/), leaving out `exceptName` (the file an upload replaces). */
export async function storedUploadBytes(db: Executor, chainId: string, exceptName?: string): Promise<number> {
  let q = db.selectFrom('sftp_files').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('n')).where('chain_id', '=', chainId).where('folder', '=', 'Assortment').where('status', '=', 'sealed');
  if (exceptName !== undefined) q = q.where('name', '!=', exceptName);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Deletes stored uploads (Assortment/, sealed before `olderThan`) whose processing is over: no
 * QUEUED or PROCESSING job still names the file. Results files stay. Batches of `batch`; answers
 * how many were deleted.
 */
export async function purgeFinishedUploads(db: Executor, olderThan: Date, batch = 200): Promise<number> {
  let total = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('sftp_files')
      .select(['id', 'chain_id'])
      .where('folder', '=', 'Assortment')
      .where('status', '=', 'sealed')
      .where('sealed_at', '<', olderThan.toISOString())
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (!rows.length) return total;
    after = rows[rows.length - 1]!.id;
    const chains = [...new Set(rows.map((r) => r.chain_id))];
    const open = await unfinishedJobParams(db, chains, 'sftp_file');
    const busy = new Set(open.map((params) => String(params.file_id ?? '')));
    const ids = rows.map((r) => r.id).filter((id) => !busy.has(id));
    await deleteFiles(db, ids);
    total += ids.length;
  }
}
