import crypto from 'node:crypto';

let lastMs = 0;
let seq = 0;
// Random bytes drawn 4 KiB at a time: one syscall per 256 ids instead of one per id.
let pool = Buffer.alloc(0);
let poolAt = 0;

function random16(): Buffer {
  if (poolAt + 16 > pool.length) {
    pool = crypto.randomBytes(4096);
    poolAt = 0;
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  return out;
}

/**
 * A time-ordered UUID (version 7, RFC 9562): new products get ids that sort by creation, so bulk
 * loads append to the id indexes (products, listings, barcodes, categories) instead of splitting
 * random B-tree pages. Still a standard UUID anywhere an id is shown.
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now === lastMs) seq = (seq + 1) & 0xfff;
  else {
    lastMs = now;
    seq = random16()[0]! << 3;
  }
  const b = random16();
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
