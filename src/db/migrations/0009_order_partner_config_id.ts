import { sql, type Kysely } from 'kysely';

/**
 * `client.external_partner_config_id` in an order now names the partner-side store (the vendor's
 * external id, else its platform code) instead of the chain id. Stored order snapshots (what GET
 * answers) are rewritten once, so old orders say the same as new ones. Plain SQL both dialects run.
 */
export function orderPartnerConfigId() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`
        update orders set snapshot = replace(
          snapshot,
          '"external_partner_config_id":"' || chain_id || '"',
          '"external_partner_config_id":"' || (select coalesce(v.external_id, v.code) from vendors v where v.id = orders.vendor_id) || '"'
        )
        where snapshot like '%"external_partner_config_id":"' || chain_id || '"%'
      `.execute(db);
    },
  };
}
