import type { Migration } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { Dialect } from '../database.js';
import { foundation } from './0001_foundation.js';
import { promotions } from './0008_promotions.js';
import { webhooks } from './0002_webhooks.js';
import { jobs } from './0003_jobs.js';
import { catalog } from './0004_catalog.js';
import { orders } from './0006_orders.js';
import { outlets } from './0007_outlets.js';
import { sftp } from './0005_sftp.js';
import { orderPartnerConfigId } from './0009_order_partner_config_id.js';
import { security } from './0009_security.js';
import { portalUsers } from './0010_portal_users.js';
import { certifications } from './0012_certifications.js';
import { webhookDispatch } from './0013_webhook_dispatch.js';
import { dashboard } from './0014_dashboard.js';
import { promotionCaps } from './0015_promotion_caps.js';
import { orderStats } from './0016_order_stats.js';
import { webhookStats } from './0017_webhook_stats.js';
import { dropDeliveryLeaseUntil } from './0018_drop_delivery_lease_until.js';

/**
 * All migrations, in order. Each domain adds its own file; a landed migration is never edited.
 * Built per dialect so each can pick native column types; the key ring is for migrations that
 * encrypt stored data (only needed to apply them, not to list them).
 */
export function migrations(dialect: Dialect, secrets?: SecretBox): Record<string, Migration> {
  const t = columnTypes(dialect);
  return {
    '0001_foundation': foundation(t),
    '0002_webhooks': webhooks(t),
    '0003_jobs': jobs(t),
    '0004_catalog': catalog(t),
    '0005_sftp': sftp(t, dialect),
    '0006_orders': orders(t),
    '0007_outlets': outlets(t),
    '0008_promotions': promotions(t, dialect),
    '0009_order_partner_config_id': orderPartnerConfigId(),
    '0009_security': security(t, secrets),
    '0010_portal_users': portalUsers(t),
    '0012_certifications': certifications(t),
    '0013_webhook_dispatch': webhookDispatch(),
    '0014_dashboard': dashboard(dialect),
    // Last: a database that already ran main's migrations must be able to apply it (they run in name order).
    '0015_promotion_caps': promotionCaps(),
    '0016_order_stats': orderStats(dialect),
    '0017_webhook_stats': webhookStats(dialect),
    '0018_drop_delivery_lease_until': dropDeliveryLeaseUntil(),
  };
}
