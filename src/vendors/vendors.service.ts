import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { uuid } from '../platform/secrets.js';
import crypto from 'node:crypto';
import { codeExists, findVendorById, insertVendor, resolveVendor, updateVendorRow } from './vendors.repository.js';
import type { CreateVendorBody, UpdateVendorBody, Vendor } from './vendors.schemas.js';

const CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Short platform code like `s8ym`: a letter, then three characters, no look-alikes. */
function randomCode(): string {
  const bytes = crypto.randomBytes(4);
  let code = CODE_ALPHABET[bytes[0]! % 24]!; // letters only first
  for (let i = 1; i < 4; i++) code += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return code;
}

function assertTimeZone(tz: string, field: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new AppError('VALIDATION_FAILED', `${field} is not a known IANA time zone: "${tz}"`, { fields: [{ field, problem: 'unknown time zone' }] });
  }
}

async function assertExternalIdFree(ctx: AppContext, chainId: string, externalId: string, exceptVendorId?: string): Promise<void> {
  const clash = await resolveVendor(ctx.db, chainId, externalId);
  if (clash && clash.id !== exceptVendorId) {
    throw new AppError('EXTERNAL_ID_TAKEN', `external_id "${externalId}" is already used by vendor ${clash.code} of this chain`);
  }
}

export async function createVendor(ctx: AppContext, chainId: string, input: CreateVendorBody, actor: string): Promise<Vendor> {
  const chain = await findChain(ctx.db, chainId);
  if (!chain) throw new AppError('CHAIN_NOT_FOUND');
  const timeZone = input.time_zone ?? 'America/Argentina/Buenos_Aires';
  assertTimeZone(timeZone, 'body.time_zone');
  if (input.external_id) await assertExternalIdFree(ctx, chainId, input.external_id);
  let code = input.code;
  if (code) {
    if (await codeExists(ctx.db, code)) throw new AppError('VALIDATION_FAILED', `body.code "${code}" is already taken`, { fields: [{ field: 'body.code', problem: 'taken' }] });
  } else {
    do code = randomCode();
    while (await codeExists(ctx.db, code));
  }
  const now = ctx.clock.now().toISOString();
  const vendor: Vendor = {
    id: uuid(),
    chain_id: chainId,
    code,
    external_id: input.external_id ?? null,
    name: input.name,
    integration_type: input.integration_type ?? 'DIRECT_POS',
    is_test: input.is_test ?? false,
    time_zone: timeZone,
    currency: input.currency ?? chain.currency,
    country_code: input.country_code ?? chain.country_code,
    locale: input.locale ?? `es_${input.country_code ?? chain.country_code}`,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertVendor(trx, vendor);
    await writeAudit(trx, { chainId, actor, action: 'vendor.create', targetType: 'vendor', targetId: vendor.id, details: { code, integration_type: vendor.integration_type } }, new Date(now));
  });
  return vendor;
}

export async function updateVendor(ctx: AppContext, chainId: string, ref: string, patch: UpdateVendorBody, actor: string): Promise<Vendor> {
  const vendor = await resolveVendor(ctx.db, chainId, ref);
  if (!vendor) throw new AppError('VENDOR_NOT_FOUND');
  if (patch.time_zone) assertTimeZone(patch.time_zone, 'body.time_zone');
  if (patch.external_id) await assertExternalIdFree(ctx, chainId, patch.external_id, vendor.id);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateVendorRow(trx, vendor.id, { ...patch, updated_at: now.toISOString() });
    await writeAudit(trx, { chainId, actor, action: 'vendor.update', targetType: 'vendor', targetId: vendor.id, details: { ...patch } }, now);
  });
  return (await findVendorById(ctx.db, vendor.id))!;
}
