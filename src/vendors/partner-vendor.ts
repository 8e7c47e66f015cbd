import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { partnerChain, partnerMaySee } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { findVendorById, resolveVendor } from './vendors.repository.js';
import type { Executor } from '../db/database.js';
import type { Vendor } from './vendors.schemas.js';

/**
 * The vendor a /v2 path names (platform code or external id), checked against the caller's chain.
 * Every vendor-scoped partner route starts here; anything not theirs is a plain 404.
 */
export async function partnerVendor(ctx: AppContext, request: FastifyRequest, chainId: string, vendorRef: string): Promise<Vendor> {
  const principal = partnerChain(request, chainId);
  const cached = resolved.get(request);
  if (cached && cached.ref === vendorRef) return cached.vendor;
  const vendor = await resolveVendor(ctx.db, principal.chainId, vendorRef);
  if (!vendor || !partnerMaySee(principal, vendor)) throw new AppError('VENDOR_NOT_FOUND');
  resolved.set(request, { ref: vendorRef, vendor });
  return vendor;
}

/** The auth hook resolves a path's vendor before validation; handlers asking again get it for free. */
const resolved = new WeakMap<FastifyRequest, { ref: string; vendor: Vendor }>();

/**
 * A store of the chain by id, for the portal's chain-scoped routes: an unknown id and another chain's
 * store are the same 404.
 */
export async function chainVendor(db: Executor, chainId: string, vendorId: string): Promise<Vendor> {
  const vendor = await findVendorById(db, vendorId);
  if (!vendor || vendor.chain_id !== chainId) throw new AppError('VENDOR_NOT_FOUND');
  return vendor;
}
