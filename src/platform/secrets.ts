import crypto from 'node:crypto';
import zlib from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform random base62 string (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (out.length < width) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

function checksum(text: string): string {
  return base62(zlib.crc32(text), 6);
}

/**
 * A secret-scanner friendly credential: `<prefix>_<43 base62 chars ≈ 256 bits>_<crc32 in base62>`.
 * The checksum lets us refuse typos and garbage without touching the database.
 */
export function mintSecret(prefix: string): string {
  const body = `${prefix}_${randomBase62(43)}`;
  return `${body}_${checksum(body)}`;
}

/** True when `secret` has the shape mintSecret(prefix) produces and its checksum matches. */
export function isWellFormed(secret: string, prefix: string): boolean {
  if (!secret.startsWith(`${prefix}_`) || secret.length !== prefix.length + 1 + 43 + 1 + 6) return false;
  const cut = secret.lastIndexOf('_');
  const body = secret.slice(0, cut);
  return /^[0-9A-Za-z]{43}$/.test(body.slice(prefix.length + 1)) && checksum(body) === secret.slice(cut + 1);
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** What we may show of a secret after creation: its prefix and first characters, and its last four. */
export function redacted(secret: string, prefix: string): { displayPrefix: string; last4: string } {
  return { displayPrefix: secret.slice(0, prefix.length + 1 + 4), last4: secret.slice(-4) };
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

export function uuid(): string {
  return crypto.randomUUID();
}
