import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { captureLog } from '../test-support/log-capture.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { redactUrl } from '../platform/logger.js';

describe('credentials in URLs never reach the logs', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  const log = captureLog('info');

  beforeAll(async () => {
    t = await createTestContext({ log: log.logger });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Redact');
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('redacts ?access_token= and other credential-looking parameters in the request log; keeps the rest', async () => {
    log.clear();
    const res = await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors?access_token=${a.token}&page=2&client_secret=cs-123&API_KEY=k-456` });
    expect(res.statusCode).toBe(401);
    await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/orders/${a.token}` });
    expect(log.text()).toContain('"url":"/v2/chains/');
    expect(log.text()).toContain('access_token=[redacted]');
    expect(log.text()).toContain('page=2');
    expect(log.text()).toContain('client_secret=[redacted]');
    expect(log.text()).toContain('API_KEY=[redacted]');
    expect(log.text()).not.toContain(a.token);
    expect(log.text()).not.toContain(a.token.slice(9, 30));
    expect(log.text()).not.toContain('cs-123');
    expect(log.text()).not.toContain('k-456');
  });

  it('redactUrl: names, encodings and shapes', () => {
    expect(redactUrl('/x?token=abc&next_page_token=def&sort=asc')).toBe('/x?token=[redacted]&next_page_token=[redacted]&sort=asc');
    expect(redactUrl('/x?access%5Ftoken=abc')).toBe('/x?access%5Ftoken=[redacted]');
    expect(redactUrl('/x?password=p&passwd=q&flag')).toBe('/x?password=[redacted]&passwd=[redacted]&flag');
    expect(redactUrl('/hook/whsec_abcdefghijklmnopqrstuvwxyz012345')).toBe('/hook/[redacted]');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
  });
});
