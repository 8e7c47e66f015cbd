import crypto from 'node:crypto';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes (what the official libraries decode). */
export function mintSigningSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

const keyCache = new Map<string, crypto.KeyObject>();

/** The secret's HMAC key object, made once per secret (not per signature). */
function cachedKey(secret: string): crypto.KeyObject {
  let key = keyCache.get(secret);
  if (!key) {
    if (keyCache.size > 10_000) keyCache.clear();
    key = crypto.createSecretKey(keyOf(secret));
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * The `webhook-signature` header value: `v1,<base64 HMAC-SHA256(id.timestamp.body)>` per secret,
 * space-separated (several during a rotation's grace period).
 */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  // id.timestamp. and the body fed separately: no copy of the body per signature.
  const prefix = `${id}.${timestampSeconds}.`;
  if (secrets.length === 1) return `v1,${crypto.createHmac('sha256', cachedKey(secrets[0]!)).update(prefix).update(body).digest('base64')}`;
  return secrets.map((s) => `v1,${crypto.createHmac('sha256', cachedKey(s)).update(prefix).update(body).digest('base64')}`).join(' ');
}
