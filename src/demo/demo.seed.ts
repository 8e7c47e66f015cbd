import fs from 'node:fs';
import type { DemoInfo } from './demo-info.js';
import path from 'node:path';
import { seedDemoCatalog } from './demo-catalog.seed.js';
import { createChain, findChainByName } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { seedDemoSftp } from './demo-sftp.seed.js';
import { createOperatorKey, operatorKeyIsActive, revokeOperatorKeysNamed } from '../operator/index.js';
import { ensurePrivateDir, tighten } from '../platform/private-files.js';
import { createToken, revokeTokensNamed, tokenIsActive } from '../tokens/index.js';
import { createUser, findUserByEmail } from '../users/index.js';
import { createVendor, type CreateVendorBody, listVendors, type Vendor } from '../vendors/index.js';

export const DEMO_CHAIN_NAME = 'Mercado Demo';
export const DEMO_ADMIN = { email: 'admin@demo.comanda.dev', password: 'comanda-demo-admin', name: 'Ana Admin' } as const;
export const DEMO_STAFF = { email: 'staff@demo.comanda.dev', password: 'comanda-demo-staff', name: 'Sergio Staff' } as const;
const DEMO_TOKEN_NAME = 'Demo token';

/** Each domain's demo data, seeded after the chain, stores and logins exist (each seeder is idempotent). */
const DOMAIN_SEEDERS: Array<(ctx: AppContext, info: DemoInfo) => Promise<void>> = [seedDemoCatalog, seedDemoSftp];

const DEMO_VENDORS: Array<CreateVendorBody & { role: 'direct' | 'indirect' | 'test' }> = [
  { role: 'direct', name: 'Mercado Demo Palermo', integration_type: 'DIRECT_POS', external_id: 'PAL-001' },
  { role: 'indirect', name: 'Mercado Demo Belgrano', integration_type: 'INDIRECT_POS', external_id: 'BEL-002' },
  { role: 'test', name: 'Mercado Demo Tienda de Pruebas', integration_type: 'DIRECT_POS', is_test: true, external_id: 'TEST-900' },
];

export type { DemoInfo } from './demo-info.js';

interface StoredCredentials {
  token?: string;
  operator_key?: string;
}

function credentialsFile(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'demo-credentials.json');
}

function readCredentials(ctx: AppContext): StoredCredentials {
  try {
    return JSON.parse(fs.readFileSync(credentialsFile(ctx), 'utf8')) as StoredCredentials;
  } catch {
    return {};
  }
}

function writeCredentials(ctx: AppContext, creds: StoredCredentials): void {
  ensurePrivateDir(ctx.config.dataDir);
  fs.writeFileSync(credentialsFile(ctx), JSON.stringify(creds, null, 2), { mode: 0o600 });
  tighten(credentialsFile(ctx));
}

/**
 * Idempotent demo seed: a chain with a Partner Picking store, a Pelican store and a test store, an
 * admin and a staff login, one API token and one operator key. Running it again creates nothing
 * new; the demo token and operator key are kept (their secrets live only in the data dir's
 * demo-credentials.json, mode 0600) and re-issued only when they were revoked or lost.
 */
export async function seedDemo(ctx: AppContext, extraSeeders: Array<(ctx: AppContext, info: DemoInfo) => Promise<void>> = []): Promise<DemoInfo> {
  const actor = 'system:demo';
  let created = false;
  let chain = await findChainByName(ctx.db, DEMO_CHAIN_NAME);
  if (!chain) {
    chain = await createChain(ctx, { name: DEMO_CHAIN_NAME, country_code: 'AR', currency: 'ARS' }, actor);
    created = true;
  }
  const existing = await listVendors(ctx.db, chain.id);
  const byRole: Record<string, Vendor> = {};
  for (const spec of DEMO_VENDORS) {
    const { role, ...body } = spec;
    let vendor = existing.find((v) => v.name === body.name);
    if (!vendor) vendor = await createVendor(ctx, chain.id, body, actor);
    byRole[role] = vendor;
  }
  for (const [u, role] of [[DEMO_ADMIN, 'admin'], [DEMO_STAFF, 'staff']] as const) {
    if (!(await findUserByEmail(ctx.db, u.email))) {
      await createUser(ctx, { email: u.email, password: u.password, name: u.name, chainId: chain.id, role }, actor);
    }
  }

  const creds = readCredentials(ctx);
  if (!creds.token || !(await tokenIsActive(ctx, chain.id, creds.token))) {
    // Retire any earlier demo token whose secret we no longer have, so re-seeding never piles up tokens.
    await revokeTokensNamed(ctx, chain.id, DEMO_TOKEN_NAME, actor);
    creds.token = (await createToken(ctx, chain.id, { name: DEMO_TOKEN_NAME }, actor)).secret;
  }
  if (!creds.operator_key || !(await operatorKeyIsActive(ctx, creds.operator_key))) {
    await revokeOperatorKeysNamed(ctx, 'Demo operator key');
    creds.operator_key = (await createOperatorKey(ctx, 'Demo operator key')).secret;
  }
  writeCredentials(ctx, creds);

  const info: DemoInfo = {
    chain_id: chain.id,
    vendors: {
      direct: byRole.direct!.code,
      indirect: byRole.indirect!.code,
      test: byRole.test!.code,
      all: Object.values(byRole).map((v) => ({ code: v.code, external_id: v.external_id, name: v.name, integration_type: v.integration_type, is_test: v.is_test })),
    },
    admin: { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password },
    staff: { email: DEMO_STAFF.email, password: DEMO_STAFF.password },
    token: creds.token!,
    operator_key: creds.operator_key!,
    created,
  };
  for (const seeder of [...DOMAIN_SEEDERS, ...extraSeeders]) await seeder(ctx, info);
  return info;
}
