import type { AppContext } from '../platform/context.js';

export interface ActorLabel {
  actor: string;
  kind: 'user' | 'operator-key' | 'api-token' | 'oauth-client' | 'cli' | 'system' | 'other';
  /** A person's name for users; null when the actor has no name to show (the UI words it). */
  name: string | null;
  email: string | null;
}

function kindOf(actor: string): ActorLabel['kind'] {
  const prefix = actor.split(':')[0]!;
  if (prefix === 'user' || prefix === 'operator-key' || prefix === 'api-token' || prefix === 'oauth-client') return prefix;
  if (actor === 'cli') return 'cli';
  // `system` and its variants (`system:demo`, …) are the platform acting on its own.
  if (prefix === 'system') return 'system';
  return 'other';
}

/**
 * Names for the actor strings (`user:<id>`, `cli`, …) that appear in this chain's tokens, OAuth clients
 * and audit log, so the portal can show "created by Ana Admin" without a user directory per page.
 */
export async function chainActors(ctx: AppContext, chainId: string): Promise<ActorLabel[]> {
  const [audit, tokens, clients] = await Promise.all([
    ctx.db.selectFrom('audit_log').select('actor').distinct().where('chain_id', '=', chainId).execute(),
    ctx.db.selectFrom('api_tokens').select('created_by as actor').distinct().where('chain_id', '=', chainId).execute(),
    ctx.db.selectFrom('oauth_clients').select('created_by as actor').distinct().where('chain_id', '=', chainId).execute(),
  ]);
  const actors = [...new Set([...audit, ...tokens, ...clients].map((r) => r.actor))].sort();
  const userIds = actors.filter((a) => a.startsWith('user:')).map((a) => a.slice(5));
  const users = userIds.length ? await ctx.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', userIds).execute() : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return actors.map((actor) => {
    const user = actor.startsWith('user:') ? byId.get(actor.slice(5)) : undefined;
    return { actor, kind: kindOf(actor), name: user?.name ?? null, email: user?.email ?? null };
  });
}
