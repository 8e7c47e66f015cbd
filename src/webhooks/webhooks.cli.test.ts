import { beforeAll, describe, expect, it } from 'vitest';
import { createChain } from '../chains/chains.service.js';
import { envFor, runComanda } from '../test-support/processes.js';
import { useTestContext } from '../test-support/test-app.js';
import { drainWebhooks } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';

describe('comanda webhook CLI', () => {
  const s = useTestContext({ config: FAST_WEBHOOKS });
  let env: Record<string, string>;

  const w = useWebhooks(s);
  beforeAll(async () => {
    env = envFor(s.t.db.config, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  });

  it('create prints the id and whsec_ secret; list hides secrets; test sends; disable; replay; bad input is one line on stderr', { timeout: 120_000 }, async () => {
    const chain = await createChain(s.ctx, { name: 'CLI hooks', country_code: 'AR', currency: 'ARS' }, 'test');
    const created = await runComanda(['webhook', 'create', '--chain', chain.id, '--url', w.receiver.url, '--secret', 'Basic Y2xpOnNlY3JldA==', '--events', 'RECEIVED,DELIVERED'], env);
    expect(created.code, created.stderr).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.signing_secret).toMatch(/^whsec_/);
    expect(out.endpoint.events).toEqual(['RECEIVED', 'DELIVERED']);
    w.receiver.setSecrets([out.signing_secret]);

    const list = await runComanda(['webhook', 'list', '--chain', chain.id], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    expect(list.stdout).not.toContain(out.signing_secret);
    expect(list.stdout).not.toContain('Y2xpOnNlY3JldA==');

    const test = await runComanda(['webhook', 'test', out.id], env);
    expect(test.code, test.stderr).toBe(0);
    const [got] = await w.receiver.waitFor(1);
    expect(got!.webhookId).toBe(JSON.parse(test.stdout).event_id);
    expect(got!.verified).toBe(true);
    expect(got!.headers.authorization).toBe('Basic Y2xpOnNlY3JldA==');
    await drainWebhooks(s.ctx, { chainId: chain.id });

    const replay = await runComanda(['webhook', 'replay', out.id, '--since', '2000-01-01T00:00:00Z'], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toEqual({ replayed: 0 });

    const disabled = await runComanda(['webhook', 'disable', out.id], env);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const refused = await runComanda(['webhook', 'test', out.id], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^error: WEBHOOK_ENDPOINT_DISABLED: /);

    const bad = await runComanda(['webhook', 'create', '--chain', chain.id, '--url', 'http://10.0.0.1/x', '--secret', 's'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/WEBHOOK_URL_REFUSED: body.url resolves to a non-public address/);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
