import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.sftpPort).toBe(2222);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sqlitePath.endsWith('data/comanda.db')).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['SFTP_PORT', '-1', /SFTP_PORT/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL/],
    ['COMANDA_ENV', 'staging', /COMANDA_ENV/],
  ])('refuses %s=%s naming the variable', (name, value, pattern) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(pattern);
  });

  it('parses lists', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'localhost, 127.0.0.1 ,10.0.0.0/8' }).webhookAllowedHosts).toEqual(['localhost', '127.0.0.1', '10.0.0.0/8']);
  });
});
