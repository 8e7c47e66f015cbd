import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { partnerChain, partnerMaySee } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { resolveVendor } from './vendors.repository.js';
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
