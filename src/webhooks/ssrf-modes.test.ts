import { describe, expect, it } from 'vitest';
import { createChain } from '../chains/chains.service.js';
import { loadConfig } from '../config.js';
import { toJson } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import { bearer, operatorKey, seedChain } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { emitOne, useWebhooks } from '../test-support/webhooks.js';
import { getDelivery, listDeliveries } from './deliveries.service.js';
import { sealEndpointSecrets } from './endpoints.repository.js';
import { mintSigningSecret } from './signing.js';
import { checkWebhookUrl, refusedHost, refusedTarget, type Resolver } from './ssrf.js';

/** What `npm start` runs with: development mode and loopback on the allow-list. */
const demo = { env: 'development' as const, webhookAllowedHosts: ['localhost', '127.0.0.1'] };
const devBare = { env: 'development' as const, webhookAllowedHosts: [] };
/** An operator who allow-listed far too much. */
const careless = loadConfig({ COMANDA_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: '0.0.0.0/0,::/0,169.254.0.0/16,metadata.google.internal,imds.example' });

const DNS: Record<string, string[]> = {
  'imds.example': ['169.254.169.254'],
  'v6imds.example': ['fd00:ec2::254'],
  'private.example': ['10.1.2.3'],
  localhost: ['127.0.0.1', '::1'],
};
const resolver: Resolver = async (host) => {
  const found = DNS[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};

/** Link-local and cloud metadata in every spelling we know of. */
const METADATA = [
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.170.2/v2/credentials',
  'http://169.254.0.23/',
  'http://[fd00:ec2::254]/latest/',
  'http://[fd20:ce::254]/',
  'http://100.100.100.200/latest/meta-data/',
  'http://192.0.0.192/',
  'http://[fe80::a9fe:a9fe]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://0xa9fea9fe/',
  'http://2852039166/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://METADATA.GOOGLE.INTERNAL./',
  'http://metadata/',
  'http://metadata.azure.com/',
  'http://instance-data/',
  'http://metadata.tencentyun.com/',
  'http://imds.example/',
  'http://v6imds.example/',
];

describe('SSRF guard in development (demo) mode', () => {
  it('refuses link-local and cloud metadata targets in every mode, even when allow-listed', async () => {
    for (const config of [demo, devBare, careless, loadConfig({ COMANDA_ENV: 'production' }), loadConfig({ COMANDA_ENV: 'test' })]) {
      for (const url of METADATA) {
        const v = await checkWebhookUrl(config, url, resolver);
        expect(v.ok, `${config.env} ${config.webhookAllowedHosts.join(',')} ${url}`).toBe(false);
        expect(v.reason).toMatch(/link-local|metadata/);
      }
    }
  });

  it('allows loopback and the allow-list only: other private ranges still need an allow-list entry', async () => {
    for (const url of ['http://127.0.0.1:9/', 'http://localhost:3000/hook', 'http://[::1]:8080/']) expect(await checkWebhookUrl(devBare, url, resolver), url).toMatchObject({ ok: true });
    for (const url of ['http://10.0.0.1/', 'http://192.168.1.1/', 'http://private.example/', 'http://[fc00::1]/', 'http://100.64.0.1/']) {
      expect(await checkWebhookUrl(demo, url, resolver), url).toMatchObject({ ok: false });
    }
    const withLan = { env: 'development' as const, webhookAllowedHosts: ['10.0.0.0/8'] };
    expect(await checkWebhookUrl(withLan, 'http://10.0.0.1/', resolver)).toMatchObject({ ok: true });
  });

  it('judges the connected address (and the URL host before dialling) the same way', () => {
    expect(refusedTarget(demo, 'partner.example', '169.254.169.254')).toMatch(/link-local/);
    expect(refusedTarget(careless, 'partner.example', '::ffff:169.254.169.254')).toMatch(/link-local/);
    expect(refusedTarget(demo, 'partner.example', 'fd00:ec2::254')).toMatch(/metadata/);
    expect(refusedTarget(demo, 'metadata.google.internal', '93.184.216.34')).toMatch(/metadata/);
    expect(refusedTarget(demo, 'localhost', '127.0.0.1')).toBeNull();
    expect(refusedTarget(devBare, 'partner.example', '10.0.0.5')).toMatch(/private/);
    expect(refusedHost(demo, '169.254.169.254')).toMatch(/link-local/);
    expect(refusedHost(demo, '[fd00:ec2::254]')).toMatch(/metadata/);
    expect(refusedHost(demo, 'partner.example')).toBeNull();
  });
});

describe('SSRF guard in development mode, end to end', () => {
  const s = useTestApp({ config: { ...demo, webhookPollMs: 25, webhookRetrySchedule: [0.1], webhookTimeoutMs: 2000 } });

  const w = useWebhooks(s);

  it('at save time: the API refuses the metadata URL with 422 and accepts a local receiver', async () => {
    const a = await seedChain(s.ctx, 'Dev SSRF');
    const op = await operatorKey(s.ctx);
    const refused = await s.app.inject({ method: 'POST', url: `/platform/v1/chains/${a.chain.id}/webhooks`, headers: bearer(op), payload: { url: 'http://169.254.169.254/latest', authorization: 'Bearer x-123456789' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { fields: [{ field: 'body.url' }] } });
    const local = await s.app.inject({ method: 'POST', url: `/platform/v1/chains/${a.chain.id}/webhooks`, headers: bearer(op), payload: { url: w.receiver.url, authorization: 'Bearer x-123456789' } });
    expect(local.statusCode).toBe(201);
  });

  it('at send time: an endpoint stored pointing at the metadata address is never dialled', async () => {
    const chain = await createChain(s.ctx, { name: 'Dev SSRF stored', country_code: 'AR', currency: 'ARS' }, 'test');
    const at = new Date().toISOString();
    const id = uuid();
    // As if saved by an older version, whose development mode let anything through.
    await s.ctx.db
      .insertInto('webhook_endpoints')
      .values({
        id, chain_id: chain.id, url: 'http://169.254.169.254/latest/meta-data/', description: '', auth_header: 'Authorization',
        ...(sealEndpointSecrets(s.ctx.secrets, id, { auth: 'x', signing: mintSigningSecret() }) as { auth_secret: string; signing_secret: string }),
        previous_signing_secret: null, previous_secret_expires_at: null, events: toJson(['RECEIVED']),
        enabled: true, disabled_reason: null, disabled_at: null, failing_since: null, created_at: at, updated_at: at, deleted_at: null,
      })
      .execute();
    await emitOne(s.ctx, chain.id, 'RECEIVED', uuid());
    await expect.poll(async () => (await listDeliveries(s.ctx, chain.id, { status: 'dead' })).deliveries.length, { timeout: 10_000 }).toBe(1);
    const d = (await listDeliveries(s.ctx, chain.id, {})).deliveries[0]!;
    const detail = await getDelivery(s.ctx, chain.id, d.id);
    expect(detail.attempts.map((x) => x.outcome)).toEqual(['ssrf_blocked', 'ssrf_blocked']);
    expect(detail.attempts[0]!.error).toMatch(/SSRF guard: 169\.254\.169\.254 is link-local/);
    expect(detail.attempts.every((x) => x.duration_ms < 1000)).toBe(true);
  });
});
