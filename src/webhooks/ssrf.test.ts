import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createChain } from '../chains/chains.service.js';
import { toJson } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import { useTestContext } from '../test-support/test-app.js';
import { emitOne, useWebhooks } from '../test-support/webhooks.js';
import { getDelivery, listDeliveries } from './deliveries.service.js';
import { mintSigningSecret } from './signing.js';
import { blockedRange, checkWebhookUrl, refusedTarget, type Resolver } from './ssrf.js';

const production = loadConfig({ COMANDA_ENV: 'production' });
const DNS: Record<string, string[]> = {
  'rebind.example': ['127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.1.1.1'],
  'v6internal.example': ['fd12:3456::1'],
  '192.168.1.1.nip.io': ['192.168.1.1'],
  'partner.example': ['93.184.216.34', '2606:2800:220:1::1'],
};
const resolver: Resolver = async (host) => {
  const found = DNS[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};

// Each row: a URL an attacker might try, and what it really is.
const REFUSED: Array<[string, string]> = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'short-form loopback'],
  ['http://0177.0.0.1/', 'octal first octet'],
  ['http://0x7f.0.0.1/', 'hex first octet'],
  ['http://0x7f000001/', 'hex whole address'],
  ['http://2130706433/', 'decimal whole address'],
  ['http://017700000001/', 'octal whole address'],
  ['http://127.000.000.001/', 'zero-padded octets'],
  ['http://0x0a.0x00.0x00.0x01/', 'hex private 10/8'],
  ['http://localhost/', 'localhost name'],
  ['http://LOCALHOST./', 'upper case + trailing dot'],
  ['http://api.localhost/', '*.localhost'],
  ['http://[::1]/', 'IPv6 loopback'],
  ['http://[::]/', 'IPv6 unspecified'],
  ['http://0.0.0.0/', 'this-network'],
  ['http://0/', 'decimal zero'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped IPv6 loopback'],
  ['http://[::ffff:7f00:1]/', 'IPv4-mapped IPv6, hex'],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'IPv4-mapped IPv6, long form'],
  ['http://[::127.0.0.1]/', 'IPv4-compatible IPv6'],
  ['http://[64:ff9b::7f00:1]/', 'NAT64 of loopback'],
  ['http://[2002:7f00:1::]/', '6to4 of loopback'],
  ['http://[::ffff:a9fe:a9fe]/', 'IPv4-mapped metadata'],
  ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private'],
  ['http://10.0.0.1/', 'private 10/8'],
  ['http://172.16.5.4/', 'private 172.16/12'],
  ['http://172.31.255.255:8443/x', 'private 172.16/12 upper end'],
  ['http://192.168.1.1/', 'private 192.168/16'],
  ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
  ['http://[fd00:ec2::254]/', 'AWS IPv6 metadata (ULA)'],
  ['http://100.64.0.1/', 'CGNAT'],
  ['http://100.100.100.200/', 'Alibaba metadata (CGNAT)'],
  ['http://[fe80::1]/', 'IPv6 link-local'],
  ['http://[fc00::1]/', 'IPv6 ULA'],
  ['http://224.0.0.1/', 'IPv4 multicast'],
  ['http://[ff02::1]/', 'IPv6 multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://198.18.0.1/', 'benchmarking range'],
  ['http://user:pass@example.com/', 'credentials in URL'],
  ['http://partner.example@127.0.0.1/', 'userinfo trick'],
  ['ftp://example.com/', 'non-HTTP scheme'],
  ['file:///etc/passwd', 'file scheme'],
  ['gopher://127.0.0.1:6379/_PING', 'gopher scheme'],
  ['http://rebind.example/', 'name resolving to loopback'],
  ['http://metadata.example/', 'name resolving to metadata'],
  ['http://mixed.example/', 'one of several addresses private'],
  ['http://v6internal.example/', 'name resolving to ULA'],
  ['http://192.168.1.1.nip.io/', 'wildcard DNS to private'],
  ['http://does-not-resolve.invalid/', 'unresolvable'],
  ['not a url', 'garbage'],
];

describe('SSRF guard', () => {
  it(`refuses ${REFUSED.length} bypass forms outside development mode`, async () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(30);
    const accepted: string[] = [];
    for (const [url, what] of REFUSED) {
      const v = await checkWebhookUrl(production, url, resolver);
      if (v.ok) accepted.push(`${url} (${what})`);
      else expect(v.reason, url).toBeTruthy();
    }
    expect(accepted).toEqual([]);
  });

  it('accepts public targets and normalises the URL', async () => {
    for (const url of ['https://93.184.216.34/hooks', 'https://[2606:4700::1111]/x', 'https://partner.example/webhooks?x=1', 'http://8.8.8.8:8080/']) {
      const v = await checkWebhookUrl(production, url, resolver);
      expect(v, url).toMatchObject({ ok: true });
    }
    expect((await checkWebhookUrl(production, 'HTTPS://Partner.Example/a#frag', resolver)).url).toBe('https://partner.example/a');
  });

  it('lets the allow-list (names, IPs, CIDRs) and development mode reach local targets', async () => {
    const allow = loadConfig({ COMANDA_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: 'localhost, 127.0.0.1 ,10.0.0.0/8' });
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1:9/', 'http://10.20.30.40/', 'http://[::ffff:10.1.2.3]/']) {
      expect(await checkWebhookUrl(allow, url, resolver), url).toMatchObject({ ok: true });
    }
    expect(await checkWebhookUrl(allow, 'http://192.168.0.1/', resolver)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl({ env: 'development', webhookAllowedHosts: [] }, 'http://127.0.0.1:8080/', resolver)).toMatchObject({ ok: true });
  });

  it('judges connected addresses, including mapped forms the socket may report', () => {
    expect(refusedTarget(production, 'partner.example', '127.0.0.1')).toMatch(/loopback/);
    expect(refusedTarget(production, 'partner.example', '::ffff:127.0.0.1')).toMatch(/loopback/);
    expect(refusedTarget(production, 'partner.example', '::ffff:169.254.169.254')).toMatch(/link-local/);
    expect(refusedTarget(production, 'partner.example', '93.184.216.34')).toBeNull();
    expect(blockedRange('2606:4700::1111')).toBeNull();
    expect(blockedRange('fe80::1%eth0')).toBe('link-local');
  });
});

describe('SSRF guard at delivery time', () => {
  // No allow-list: loopback is forbidden for this dispatcher.
  const s = useTestContext({ config: { webhookAllowedHosts: [], webhookPollMs: 25, webhookRetrySchedule: [0.1] } });

  const w = useWebhooks(s);

  it('refuses to send when the address actually connected to is internal (e.g. DNS changed since save time)', async () => {
    const chain = await createChain(s.ctx, { name: 'SSRF at send', country_code: 'AR', currency: 'ARS' }, 'test');
    const at = new Date().toISOString();
    // Stored as if it had passed the save-time check earlier (a name that later resolved to loopback).
    await s.ctx.db
      .insertInto('webhook_endpoints')
      .values({
        id: uuid(), chain_id: chain.id, url: `http://localhost:${w.receiver.port}/hook`, description: '', auth_header: 'Authorization', auth_secret: 'x',
        signing_secret: mintSigningSecret(), previous_signing_secret: null, previous_secret_expires_at: null, events: toJson(['RECEIVED']),
        enabled: true, disabled_reason: null, disabled_at: null, failing_since: null, created_at: at, updated_at: at, deleted_at: null,
      })
      .execute();
    await emitOne(s.ctx, chain.id, 'RECEIVED', uuid());
    await expect.poll(async () => (await listDeliveries(s.ctx, chain.id, { status: 'dead' })).deliveries.length, { timeout: 5000 }).toBe(1);
    const d = (await listDeliveries(s.ctx, chain.id, {})).deliveries[0]!;
    const detail = await getDelivery(s.ctx, chain.id, d.id);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['ssrf_blocked', 'ssrf_blocked']);
    expect(detail.attempts[0]!.error).toMatch(/SSRF guard: .*loopback/);
    expect(w.receiver.requests).toHaveLength(0);
  });
});
