import net from 'node:net';
import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { iso, isoOrNull, num } from '../db/rows.js';
import { sha256 } from '../platform/secrets.js';

/**
 * Brute-force brake shared by every process on the database (portal logins, SFTP password and
 * public-key logins). Each attempt is checked against two counters, one for the login and one for
 * the source address: after `freeAttempts` failures the next attempt must wait, doubling from
 * `baseDelayMs` up to `maxDelayMs` (even the right password is refused while it waits). A counter is
 * forgotten after `windowMs` without failures; a successful login clears its login counter (not the
 * address's, so one valid account cannot reset a spray).
 */
export interface ThrottlePolicy {
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

export const PER_LOGIN: ThrottlePolicy = { freeAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 };
/** Looser: many people may share one address (an office NAT), but spraying many logins is slowed. */
export const PER_ADDRESS: ThrottlePolicy = { freeAttempts: 20, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 };

export type ThrottleScope = 'login' | 'address';

export interface ThrottleKey {
  readonly key: string;
  readonly scope: ThrottleScope;
  readonly policy: ThrottlePolicy;
}

/** A login name or address as a key: printable and short as is, anything else (NUL bytes, megabytes) hashed. */
function part(identifier: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(identifier) ? identifier : `#${sha256(identifier)}`;
}

/** IPv4 as is; IPv4-mapped IPv6 as the IPv4; other IPv6 by /64 (one customer's whole prefix counts as one address). */
export function addressBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(ip) && !ip.includes('.')) {
    const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
  }
  return ip;
}

export const portalLoginKey = (email: string): string => `portal-login:${part(email.trim().toLowerCase())}`;
export const sftpLoginKey = (username: string): string => `sftp-login:${part(username)}`;

/** The two counters a portal login attempt is checked against. */
export function portalKeys(email: string, ip: string): ThrottleKey[] {
  return [
    { key: portalLoginKey(email), scope: 'login', policy: PER_LOGIN },
    { key: `portal-address:${part(addressBucket(ip))}`, scope: 'address', policy: PER_ADDRESS },
  ];
}

/** The two counters an SFTP authentication attempt is checked against. */
export function sftpKeys(username: string, ip: string): ThrottleKey[] {
  return [
    { key: sftpLoginKey(username), scope: 'login', policy: PER_LOGIN },
    { key: `sftp-address:${part(addressBucket(ip))}`, scope: 'address', policy: PER_ADDRESS },
  ];
}

function delayMs(policy: ThrottlePolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, failures - policy.freeAttempts));
}

export type Admission =
  | { ok: true; ticket: AttemptTicket }
  | { ok: false; retryAfterSeconds: number; scope: ThrottleScope };

/** What an admitted attempt holds until it reports its outcome. */
export interface AttemptTicket {
  readonly keys: readonly ThrottleKey[];
  /** Keys past their free attempts that this attempt holds for a moment (so parallel attempts cannot all slip through). */
  readonly held: ReadonlyArray<{ key: string; until: string }>;
}

function ts(ctx: AppContext, value: string) {
  return ctx.dialect === 'postgres' ? sql`${value}::timestamptz` : sql`${value}`;
}

/**
 * May this attempt go ahead? Refused while any of its counters waits out a backoff. A counter past
 * its free attempts is held by one attempt at a time (a conditional update only one caller wins),
 * so a burst of parallel connections gets one guess per backoff, not one each.
 */
export async function admitAttempt(ctx: AppContext, keys: readonly ThrottleKey[]): Promise<Admission> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const rows = await ctx.db.selectFrom('auth_throttles').selectAll().where('key', 'in', keys.map((k) => k.key)).execute();
  let wait: { ms: number; scope: ThrottleScope } | undefined;
  const toHold: ThrottleKey[] = [];
  for (const k of keys) {
    const row = rows.find((r) => r.key === k.key);
    if (!row || now.getTime() - Date.parse(iso(row.last_failure_at)) > k.policy.windowMs || num(row.failures) < k.policy.freeAttempts) continue;
    const blocked = isoOrNull(row.blocked_until);
    const ms = blocked ? Date.parse(blocked) - now.getTime() : 0;
    if (ms > 0 && (!wait || ms > wait.ms)) wait = { ms, scope: k.scope };
    toHold.push(k);
  }
  if (wait) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait.ms / 1000)), scope: wait.scope };
  const held: Array<{ key: string; until: string }> = [];
  for (const k of toHold) {
    const until = new Date(now.getTime() + k.policy.baseDelayMs).toISOString();
    const won = await ctx.db
      .updateTable('auth_throttles')
      .set({ blocked_until: until })
      .where('key', '=', k.key)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', nowIso)]))
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) === 0) {
      await releaseHeld(ctx, held);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(k.policy.baseDelayMs / 1000)), scope: k.scope };
    }
    held.push({ key: k.key, until });
  }
  return { ok: true, ticket: { keys, held } };
}

async function releaseHeld(ctx: AppContext, held: AttemptTicket['held']): Promise<void> {
  const nowIso = ctx.clock.now().toISOString();
  for (const h of held) await ctx.db.updateTable('auth_throttles').set({ blocked_until: nowIso }).where('key', '=', h.key).where('blocked_until', '=', h.until).execute();
}

/** A wrong password (or key): every counter of the attempt goes up, and past the free attempts it must wait. */
export async function recordFailure(ctx: AppContext, ticket: AttemptTicket): Promise<void> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  for (const k of ticket.keys) {
    const cutoff = new Date(now.getTime() - k.policy.windowMs).toISOString();
    const row = await ctx.db
      .insertInto('auth_throttles')
      .values({ key: k.key, failures: 1, last_failure_at: nowIso, blocked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // A counter quiet for a whole window starts again from one.
          failures: sql`case when auth_throttles.last_failure_at < ${ts(ctx, cutoff)} then 1 else auth_throttles.failures + 1 end`,
          blocked_until: sql`case when auth_throttles.last_failure_at < ${ts(ctx, cutoff)} then null else auth_throttles.blocked_until end`,
          last_failure_at: nowIso,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    const failures = num(row.failures);
    if (failures < k.policy.freeAttempts) continue;
    const until = new Date(now.getTime() + delayMs(k.policy, failures)).toISOString();
    await ctx.db
      .updateTable('auth_throttles')
      // The later of the two: parallel failures never shorten each other's backoff.
      .set({ blocked_until: sql`case when blocked_until is null or blocked_until < ${ts(ctx, until)} then ${ts(ctx, until)} else blocked_until end` })
      .where('key', '=', k.key)
      .execute();
  }
  // Counters from addresses long gone: trimmed now and then, by whichever process fails a login.
  if (Math.random() < 0.01) {
    const oldest = new Date(now.getTime() - Math.max(PER_LOGIN.windowMs, PER_ADDRESS.windowMs)).toISOString();
    await ctx.db.deleteFrom('auth_throttles').where('last_failure_at', '<', oldest).execute();
  }
}

/** The right password: the login's counter is cleared; address counters only lose the hold. */
export async function recordSuccess(ctx: AppContext, ticket: AttemptTicket): Promise<void> {
  for (const k of ticket.keys) if (k.scope === 'login') await clearThrottle(ctx.db, k.key);
  await releaseHeld(ctx, ticket.held.filter((h) => ticket.keys.some((k) => k.key === h.key && k.scope === 'address')));
}

/** An attempt that ended without a verdict (e.g. the client asked which key would do): only the hold is released. */
export async function releaseAttempt(ctx: AppContext, ticket: AttemptTicket): Promise<void> {
  await releaseHeld(ctx, ticket.held);
}

/** Lifts a counter (a password reset lifts the e-mail's). */
export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('auth_throttles').where('key', '=', key).execute();
}
