import { iso, json, toJson } from '../db/rows.js';
import type { Executor, Trx } from '../db/database.js';
import { uuid } from '../platform/secrets.js';

export interface AuditEntry {
  chainId: string | null;
  /** Who did it: `user:<id>`, `operator-key:<id>`, `cli`, `system`. */
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  /** Never a secret. */
  details?: Record<string, unknown>;
}

/** Written in the same transaction as the change it describes. */
export async function writeAudit(trx: Trx | Executor, entry: AuditEntry, at: Date): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: uuid(),
      chain_id: entry.chainId,
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: toJson(entry.details ?? {}),
      created_at: at.toISOString(),
    })
    .execute();
}

export interface AuditRecord {
  id: string;
  chain_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

export async function listAudit(db: Executor, chainId: string, limit = 100): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('chain_id', '=', chainId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, details: json<Record<string, unknown>>(r.details), created_at: iso(r.created_at) }));
}

export interface AuditFilter {
  /** Exact actor string (`user:<id>`, `cli`, …). */
  actor?: string | undefined;
  /** Exact action (`user.invite`), or a family with a trailing dot (`catalog.`). */
  action?: string | undefined;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** One page of a chain's audit log, newest first, with the total for the pager. */
export async function searchAudit(db: Executor, chainId: string, f: AuditFilter, page: number, pageSize: number): Promise<{ entries: AuditRecord[]; total: number }> {
  let q = db.selectFrom('audit_log').where('chain_id', '=', chainId);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.action) {
    if (f.action.endsWith('.')) q = q.where('action', '>=', f.action).where('action', '<', `${f.action.slice(0, -1)}/`);
    else q = q.where('action', '=', f.action);
  }
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { entries: rows.map((r) => ({ ...r, details: json<Record<string, unknown>>(r.details), created_at: iso(r.created_at) })), total: Number(total.n) };
}

/** The distinct actors of a chain's audit log (for the portal's actor names). */
export async function chainAuditActors(db: Executor, chainId: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('actor').distinct().where('chain_id', '=', chainId).execute();
  return rows.map((r) => r.actor);
}
