import crypto from 'node:crypto';

/** Every sealed value starts with this; anything else is legacy plaintext (read as is, re-sealed by `secrets rotate`). */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Decrypted values kept per process (the dispatcher opens the same few endpoints' secrets constantly). */
const CACHE_MAX = 10_000;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** `k` + 8 hex digits derived from the key: names the key on every ciphertext without revealing it. */
export function keyIdOf(key: Buffer): string {
  return `k${crypto.createHash('sha256').update('comanda-secret-key-id\0').update(key).digest('hex').slice(0, 8)}`;
}

/** 32 bytes from base64, base64url or hex text, or undefined when it is not exactly a 256-bit key. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64') : undefined;
  return buf && buf.length === 32 ? buf : undefined;
}

/** A fresh key as base64 text (what COMANDA_SECRET_KEY and the key file hold). */
export function generateKeyText(): string {
  return crypto.randomBytes(32).toString('base64');
}

/** The key id a sealed value names, or undefined for plaintext. */
export function sealedKeyId(value: string): string | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const end = value.indexOf(':', PREFIX.length);
  return end > PREFIX.length ? value.slice(PREFIX.length, end) : undefined;
}

/**
 * AES-256-GCM for secrets we must be able to send back (webhook Authorization and signing secrets,
 * the SSH host key): `enc:v1:<key id>:<base64url(iv | tag | ciphertext)>`. The `purpose` (e.g.
 * `webhook-auth:<endpoint id>`) is authenticated data, so a ciphertext copied into another row or
 * column does not decrypt. Seals with the current key; opens with the current or any previous key.
 */
export class SecretBox {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();
  private readonly cache = new Map<string, string>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, current);
    for (const k of previous) if (!this.keys.has(keyIdOf(k))) this.keys.set(keyIdOf(k), k);
  }

  /** Key ids this process can open, current first. */
  keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plaintext: string, purpose: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plaintext of a sealed value; a value without the prefix is legacy plaintext and returned as is. */
  open(value: string, purpose: string): string {
    const kid = sealedKeyId(value);
    if (kid === undefined) return value;
    const cacheKey = `${purpose}\n${value}`;
    const hit = this.cache.get(cacheKey);
    if (hit !== undefined) return hit;
    const key = this.keys.get(kid);
    if (!key) throw new SecretKeyError(`a stored secret is encrypted with key ${kid}, which this process does not have (it has ${this.keyIds().join(', ')}): set COMANDA_SECRET_KEY / COMANDA_SECRET_KEY_PREVIOUS`);
    const raw = Buffer.from(value.slice(PREFIX.length + kid.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretKeyError(`a stored secret (${purpose}) is truncated`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    let plaintext: string;
    try {
      plaintext = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`a stored secret (${purpose}) does not decrypt with key ${kid}: it was altered or belongs to another row`);
    }
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(cacheKey, plaintext);
    return plaintext;
  }

  /** True when the value is sealed with the current key (nothing for `secrets rotate` to do). */
  isCurrent(value: string): boolean {
    return sealedKeyId(value) === this.currentKeyId;
  }

  /** Opens with whatever key sealed it and seals again with the current key. */
  reseal(value: string, purpose: string): string {
    return this.isCurrent(value) ? value : this.seal(this.open(value, purpose), purpose);
  }
}

/** What re-sealing one kind of stored secret did (`comanda secrets rotate`). */
export interface ResealCount {
  resealed: number;
  already_current: number;
}
