import crypto from 'node:crypto';
import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { iso, isoOrNull, toJson } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { assertPasswordPolicy } from '../security/index.js';
import { hashPassword } from '../platform/passwords.js';
import { randomBase62, uuid } from '../platform/secrets.js';
import { findSftpUserByChain, publicKeysOf, usernameTaken, type SftpUserRow } from './sftp-users.repository.js';
import type { CreateSftpLoginBody, CreatedSftpLogin, SftpLogin, UpdateSftpLoginBody } from './sftp-users.schemas.js';

const KEY_TYPES = new Set(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com']);

/**
 * A parsed, validated public key line (`type base64 [comment]`), normalised. The key blob must name
 * the same type inside it (what OpenSSH checks too); signatures are verified at login by ssh2.
 */
export function parsePublicKeyLine(line: string, field: string): { line: string; type: string; blob: Buffer; comment: string } {
  const invalid = () =>
    new AppError('VALIDATION_FAILED', `${field} is not an OpenSSH public key line (e.g. "ssh-ed25519 AAAA… comment")`, { fields: [{ field, problem: 'invalid public key' }] });
  const m = /^(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/.exec(line.trim());
  if (!m || !KEY_TYPES.has(m[1]!)) throw invalid();
  const blob = Buffer.from(m[2]!, 'base64');
  if (blob.length < 8 || blob.toString('base64') !== m[2]) throw invalid();
  const nameLen = blob.readUInt32BE(0);
  if (nameLen + 4 > blob.length || blob.subarray(4, 4 + nameLen).toString('latin1') !== m[1]) throw invalid();
  const comment = (m[3] ?? '').trim();
  return { line: `${m[1]} ${m[2]}${comment ? ` ${comment}` : ''}`, type: m[1]!, blob, comment };
}

/** OpenSSH-style fingerprint (`ssh-keygen -lf`). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function toLogin(ctx: AppContext, row: SftpUserRow): SftpLogin {
  return {
    chain_id: row.chain_id,
    username: row.username,
    host: ctx.config.sftpPublicHost,
    port: ctx.config.sftpPort,
    password_set: row.password_hash !== null,
    public_keys: publicKeysOf(row).map((line, i) => {
      const k = parsePublicKeyLine(line, `public_keys[${i}]`);
      return { type: k.type, fingerprint: fingerprint(k.blob), comment: k.comment };
    }),
    disabled: row.disabled_at !== null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_login_at: isoOrNull(row.last_login_at),
  };
}

function normaliseKeys(keys: string[] | undefined, field: string): string[] {
  return (keys ?? []).map((k, i) => parsePublicKeyLine(k, `${field}[${i}]`).line);
}

async function newUsername(ctx: AppContext, chainName: string): Promise<string> {
  const slug = chainName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'chain';
  for (;;) {
    const candidate = `${slug}-${randomBase62(5).toLowerCase()}`;
    if (!(await usernameTaken(ctx.db, candidate))) return candidate;
  }
}

/**
 * Issues the chain's one SFTP login. With neither a password nor a key, a password is generated and
 * returned once. A second login for the same chain is refused (change it with updateSftpLogin).
 */
export async function createSftpLogin(ctx: AppContext, chainId: string, input: CreateSftpLoginBody, actor: string, passwordField = 'body.password'): Promise<CreatedSftpLogin> {
  const chain = await findChain(ctx.db, chainId);
  if (!chain) throw new AppError('CHAIN_NOT_FOUND');
  if (await findSftpUserByChain(ctx.db, chainId)) throw new AppError('SFTP_LOGIN_EXISTS');
  const keys = normaliseKeys(input.public_keys, 'body.public_keys');
  if (input.password !== undefined) assertPasswordPolicy(input.password, passwordField);
  const generated = input.password === undefined && keys.length === 0 ? randomBase62(24) : undefined;
  const password = input.password ?? generated;
  const passwordHash = password === undefined ? null : await hashPassword(password);
  const username = await newUsername(ctx, chain.name);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const row = {
    id: uuid(),
    chain_id: chainId,
    username,
    password_hash: passwordHash,
    public_keys: toJson(keys),
    created_at: at,
    created_by: actor,
    updated_at: at,
    disabled_at: null as string | null,
    last_login_at: null as string | null,
  } satisfies SftpUserRow;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('sftp_users').values(row).execute();
    await writeAudit(trx, { chainId, actor, action: 'sftp_login.create', targetType: 'sftp_login', targetId: row.id, details: { username, password: password !== undefined, public_keys: keys.length } }, now);
  });
  const login = toLogin(ctx, row);
  return generated ? { ...login, password: generated } : login;
}

/** The chain's SFTP login (never the password). */
export async function getSftpLogin(ctx: AppContext, chainId: string): Promise<SftpLogin> {
  const row = await findSftpUserByChain(ctx.db, chainId);
  if (!row) throw new AppError('SFTP_LOGIN_NOT_FOUND');
  return toLogin(ctx, row);
}

/** Changes the password (null removes it), replaces the key list, or disables/enables the login. */
export async function updateSftpLogin(ctx: AppContext, chainId: string, input: UpdateSftpLoginBody, actor: string, passwordField = 'body.password'): Promise<SftpLogin> {
  const row = await findSftpUserByChain(ctx.db, chainId);
  if (!row) throw new AppError('SFTP_LOGIN_NOT_FOUND');
  const keys = input.public_keys === undefined ? publicKeysOf(row) : normaliseKeys(input.public_keys, 'body.public_keys');
  if (typeof input.password === 'string') assertPasswordPolicy(input.password, passwordField, { username: row.username });
  const passwordHash = input.password === undefined ? row.password_hash : input.password === null ? null : await hashPassword(input.password);
  if (passwordHash === null && keys.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'body.password: a login needs a password or at least one public key', { fields: [{ field: 'body.password', problem: 'no way left to log in' }] });
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const disabledAt = input.disabled === undefined ? (row.disabled_at === null ? null : iso(row.disabled_at)) : input.disabled ? at : null;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('sftp_users').set({ password_hash: passwordHash, public_keys: toJson(keys), disabled_at: disabledAt, updated_at: at }).where('id', '=', row.id).execute();
    await writeAudit(
      trx,
      { chainId, actor, action: 'sftp_login.update', targetType: 'sftp_login', targetId: row.id, details: { password: input.password === undefined ? 'unchanged' : input.password === null ? 'removed' : 'changed', public_keys: keys.length, disabled: disabledAt !== null } },
      now,
    );
  });
  return getSftpLogin(ctx, chainId);
}
