import type { FastifyInstance } from 'fastify';
import type { Chain } from '../chains/chains.schemas.js';
import { createChain } from '../chains/chains.service.js';
import type { AppContext } from '../platform/context.js';
import { createOperatorKey } from '../operator/operator-keys.service.js';
import { createToken } from '../tokens/tokens.service.js';
import { createUser } from '../users/users.service.js';
import type { Vendor } from '../vendors/vendors.schemas.js';
import { createVendor } from '../vendors/vendors.service.js';

export interface ChainFixture {
  chain: Chain;
  direct: Vendor;
  indirect: Vendor;
  test: Vendor;
  token: string;
  admin: { email: string; password: string };
  staff: { email: string; password: string };
}

let seq = 0;

/** A chain with a DIRECT_POS, an INDIRECT_POS and a test store, an admin, a staff user and a token. */
export async function seedChain(ctx: AppContext, name = `Chain ${++seq}`): Promise<ChainFixture> {
  const chain = await createChain(ctx, { name, country_code: 'AR', currency: 'ARS' }, 'test');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const direct = await createVendor(ctx, chain.id, { name: `${name} Direct`, integration_type: 'DIRECT_POS', external_id: `${slug}-D` }, 'test');
  const indirect = await createVendor(ctx, chain.id, { name: `${name} Pelican`, integration_type: 'INDIRECT_POS' }, 'test');
  const test = await createVendor(ctx, chain.id, { name: `${name} Test`, integration_type: 'DIRECT_POS', is_test: true }, 'test');
  const admin = { email: `admin@${slug}.test`, password: 'admin-password-1' };
  const staff = { email: `staff@${slug}.test`, password: 'staff-password-1' };
  await createUser(ctx, { ...admin, chainId: chain.id, role: 'admin' }, 'test');
  await createUser(ctx, { ...staff, chainId: chain.id, role: 'staff' }, 'test');
  const { secret } = await createToken(ctx, chain.id, { name: 'Order management' }, 'test');
  return { chain, direct, indirect, test, token: secret, admin, staff };
}

export async function operatorKey(ctx: AppContext): Promise<string> {
  return (await createOperatorKey(ctx, 'test')).secret;
}

export interface PortalLogin {
  cookie: string;
  csrf: string;
}

/** Logs into the portal API; returns the cookie header and CSRF token for later calls. */
export async function portalLogin(app: FastifyInstance, email: string, password: string): Promise<PortalLogin> {
  const res = await app.inject({ method: 'POST', url: '/portal/api/session', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : String(setCookie);
  return { cookie: raw.split(';')[0]!, csrf: (res.json() as { csrf_token: string }).csrf_token };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
