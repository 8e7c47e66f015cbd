import type { Executor } from '../db/database.js';
import { iso } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';

export interface Category {
  id: string;
  parent_id: string | null;
  path: string;
  name: string;
}

/** Path → id of categories already seen during one job or import (saves a query per batch). */
export type CategoryCache = Map<string, string>;

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Ids for category paths, creating missing levels (parents first). Concurrent creators are fine:
 * inserts ignore a path that appeared meanwhile and ids are read back.
 */
export async function ensureCategories(db: Executor, chainId: string, paths: Iterable<string>, cache: CategoryCache, now: string): Promise<CategoryCache> {
  const wanted = new Set<string>();
  for (const p of paths) for (const a of ancestors(p)) if (!cache.has(a)) wanted.add(a);
  if (wanted.size === 0) return cache;
  const list = [...wanted];
  const load = async () => {
    for (let i = 0; i < list.length; i += 500) {
      const rows = await db.selectFrom('categories').select(['id', 'path']).where('chain_id', '=', chainId).where('path', 'in', list.slice(i, i + 500)).execute();
      for (const r of rows) cache.set(r.path, r.id);
    }
  };
  await load();
  const missing = list.filter((p) => !cache.has(p)).sort((a, b) => a.split('/').length - b.split('/').length);
  if (missing.length === 0) return cache;
  for (const path of missing) {
    const cut = path.lastIndexOf('/');
    const parentId = cut < 0 ? null : cache.get(path.slice(0, cut)) ?? null;
    const id = uuid();
    await db
      .insertInto('categories')
      .values({ id, chain_id: chainId, parent_id: parentId, path, name: path.slice(cut + 1), created_at: now })
      .onConflict((oc) => oc.columns(['chain_id', 'path']).doNothing())
      .execute();
    const row = await db.selectFrom('categories').select('id').where('chain_id', '=', chainId).where('path', '=', path).executeTakeFirstOrThrow();
    cache.set(path, row.id);
  }
  return cache;
}

export async function listCategories(db: Executor, chainId: string): Promise<Array<Category & { created_at: string }>> {
  const rows = await db.selectFrom('categories').select(['id', 'parent_id', 'path', 'name', 'created_at']).where('chain_id', '=', chainId).orderBy('path').execute();
  return rows.map((r) => ({ ...r, created_at: iso(r.created_at) }));
}

export async function findCategory(db: Executor, chainId: string, id: string): Promise<Category | undefined> {
  return db.selectFrom('categories').select(['id', 'parent_id', 'path', 'name']).where('chain_id', '=', chainId).where('id', '=', id).executeTakeFirst();
}

/** id → path for the given ids (to show products' categories by name). */
export async function categoryPaths(db: Executor, chainId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.selectFrom('categories').select(['id', 'path']).where('chain_id', '=', chainId).where('id', 'in', unique.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, r.path);
  }
  return out;
}
