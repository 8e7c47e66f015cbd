import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { bool, iso } from '../db/rows.js';
import type { VendorsTable } from '../db/schema.js';
import type { IntegrationType, Vendor } from './vendors.schemas.js';

export function toVendor(row: Selectable<VendorsTable>): Vendor {
  return {
    id: row.id,
    chain_id: row.chain_id,
    code: row.code,
    external_id: row.external_id,
    name: row.name,
    integration_type: row.integration_type as IntegrationType,
    is_test: bool(row.is_test),
    time_zone: row.time_zone,
    currency: row.currency,
    country_code: row.country_code,
    locale: row.locale,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export async function insertVendor(db: Executor, v: Vendor): Promise<void> {
  await db.insertInto('vendors').values(v).execute();
}

export async function listVendors(db: Executor, chainId: string): Promise<Vendor[]> {
  const rows = await db.selectFrom('vendors').selectAll().where('chain_id', '=', chainId).orderBy('created_at').orderBy('code').execute();
  return rows.map(toVendor);
}

export async function findVendorById(db: Executor, id: string): Promise<Vendor | undefined> {
  const row = await db.selectFrom('vendors').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toVendor(row);
}

export async function codeExists(db: Executor, code: string): Promise<boolean> {
  return (await db.selectFrom('vendors').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/**
 * A vendor of this chain named by its platform code or by the partner's external id.
 * The platform code wins when both match different vendors. Another chain's vendor is never found.
 */
export async function resolveVendor(db: Executor, chainId: string, ref: string): Promise<Vendor | undefined> {
  const rows = await db
    .selectFrom('vendors')
    .selectAll()
    .where('chain_id', '=', chainId)
    .where((eb) => eb.or([eb('code', '=', ref), eb('external_id', '=', ref)]))
    .limit(2)
    .execute();
  const row = rows.find((r) => r.code === ref) ?? rows[0];
  return row && toVendor(row);
}

export async function updateVendorRow(db: Executor, id: string, patch: Partial<Omit<Vendor, 'id' | 'chain_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('vendors').set(patch).where('id', '=', id).execute();
}
