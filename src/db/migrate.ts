import { Migrator, type MigrationResultSet } from 'kysely';
import type { SecretBox } from '../platform/secret-box.js';
import type { DatabaseHandle } from './database.js';
import { migrations } from './migrations/index.js';

export class MigrationError extends Error {}

/** Applies pending migrations; safe to run concurrently from several processes (Postgres lock / SQLite single writer). */
export async function migrateToLatest(handle: DatabaseHandle, secrets: SecretBox): Promise<string[]> {
  const all = migrations(handle.dialect, secrets);
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => all },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by /health/ready). */
export async function migrationsApplied(handle: DatabaseHandle): Promise<boolean> {
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrations(handle.dialect) },
  });
  const list = await migrator.getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
