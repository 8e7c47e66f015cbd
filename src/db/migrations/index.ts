import type { Migration } from 'kysely';
import { columnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';
import { foundation } from './0001_foundation.js';
import { promotions } from './0008_promotions.js';
import { webhooks } from './0002_webhooks.js';
import { jobs } from './0003_jobs.js';
import { catalog } from './0004_catalog.js';
import { orders } from './0006_orders.js';
import { outlets } from './0007_outlets.js';
import { sftp } from './0005_sftp.js';

/**
 * All migrations, in order. Each domain adds its own file; a landed migration is never edited.
 * Built per dialect so each can pick native column types.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
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
  };
}
