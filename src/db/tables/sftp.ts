import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../types.js';

/** int8 columns: read back as number (pg parser set in database.ts; SQLite integers are numbers). */
type BigNum = ColumnType<number, number, number>;

export interface SftpTables {
  sftp_users: SftpUsersTable;
  sftp_host_keys: SftpHostKeysTable;
  sftp_files: SftpFilesTable;
  sftp_file_chunks: SftpFileChunksTable;
}

export interface SftpUsersTable {
  id: string;
  chain_id: string;
  username: string;
  password_hash: string | null;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`), JSON array. */
  public_keys: Json;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
}

export interface SftpHostKeysTable {
  id: string;
  /** OpenSSH private key text. Every node reads the same row so clients see one host key. */
  private_key: string;
  created_at: Timestamp;
}

export interface SftpFilesTable {
  id: string;
  chain_id: string;
  /** `Assortment` (uploads) or `results` (written by the platform). */
  folder: string;
  name: string;
  /** `uploading` while a client writes; `sealed` once closed and stored. */
  status: string;
  size: BigNum;
  uploaded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sealed_at: NullableTimestamp;
}

export interface SftpFileChunksTable {
  file_id: string;
  pos: BigNum;
  /** Write order: when two chunks overlap, the later write wins (normalised at seal time). */
  seq: number;
  len: number;
  data: Buffer;
}
