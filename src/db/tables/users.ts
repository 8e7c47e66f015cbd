import type { NullableTimestamp, Timestamp } from '../types.js';

export interface UserTables {
  password_links: PasswordLinksTable;
}

/** A one-time link to set a password: an invitation or a reset. Only the SHA-256 of the token is kept. */
export interface PasswordLinksTable {
  token_hash: string;
  user_id: string;
  /** The chain whose admin issued it (null: the CLI or an operator). */
  chain_id: string | null;
  purpose: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}
