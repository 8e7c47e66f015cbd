import { chainAuditActors } from '../audit/index.js';
import { clientCreators } from '../oauth/index.js';
import type { AppContext } from '../platform/context.js';
import { tokenCreators } from '../tokens/index.js';
import { findUserNames } from './users.repository.js';

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
  const [audit, tokens, clients] = await Promise.all([chainAuditActors(ctx.db, chainId), tokenCreators(ctx.db, chainId), clientCreators(ctx.db, chainId)]);
  const actors = [...new Set([...audit, ...tokens, ...clients])].sort();
  const userIds = actors.filter((a) => a.startsWith('user:')).map((a) => a.slice(5));
  const users = await findUserNames(ctx.db, userIds);
  const byId = new Map(users.map((u) => [u.id, u]));
  return actors.map((actor) => {
    const user = actor.startsWith('user:') ? byId.get(actor.slice(5)) : undefined;
    return { actor, kind: kindOf(actor), name: user?.name ?? null, email: user?.email ?? null };
  });
}
