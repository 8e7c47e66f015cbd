import type { Timestamp } from '../types.js';

/** Operations' tables (migration 0009_security): `comanda secrets rotate` keeps the keyring. */
export interface OpsTables {
  secret_keyring: SecretKeyringTable;
}

/** One row (`current`): the key id the database's secrets are sealed with. */
export interface SecretKeyringTable {
  id: string;
  key_id: string;
  updated_at: Timestamp;
}
