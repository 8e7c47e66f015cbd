import { describe, expect, it } from 'vitest';
import { captureLog } from '../test-support/log-capture.js';
import { redactUrl } from '../platform/logger.js';
import { useTestApp } from '../test-support/test-app.js';

describe('credentials in URLs never reach the logs', () => {
  const log = captureLog('info');

  const s = useTestApp({ chains: { a: 'Redact' }, log: log.logger });

  it('redacts ?access_token= and other credential-looking parameters in the request log; keeps the rest', async () => {
    log.clear();
    const res = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors?access_token=${s.a.token}&page=2&client_secret=cs-123&API_KEY=k-456` });
    expect(res.statusCode).toBe(401);
    await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/orders/${s.a.token}` });
    expect(log.text()).toContain('"url":"/v2/chains/');
    expect(log.text()).toContain('access_token=[redacted]');
    expect(log.text()).toContain('page=2');
    expect(log.text()).toContain('client_secret=[redacted]');
    expect(log.text()).toContain('API_KEY=[redacted]');
    expect(log.text()).not.toContain(s.a.token);
    expect(log.text()).not.toContain(s.a.token.slice(9, 30));
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
