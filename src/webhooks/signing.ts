import crypto from 'node:crypto';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes (what the official libraries decode). */
export function mintSigningSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

const keyCache = new Map<string, Buffer>();

function cachedKey(secret: string): Buffer {
  let key = keyCache.get(secret);
  if (!key) {
    if (keyCache.size > 10_000) keyCache.clear();
    key = keyOf(secret);
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * The `webhook-signature` header value: `v1,<base64 HMAC-SHA256(id.timestamp.body)>` per secret,
 * space-separated (several during a rotation's grace period).
 */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return secrets.map((s) => `v1,${crypto.createHmac('sha256', cachedKey(s)).update(content).digest('base64')}`).join(' ');
}
