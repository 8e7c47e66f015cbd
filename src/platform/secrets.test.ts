import { describe, expect, it } from 'vitest';
import { isWellFormed, mintSecret, randomBase62 } from './secrets.js';

describe('secrets', () => {
  it('mints checksummed, prefixed secrets and detects any single-character typo', () => {
    const s = mintSecret('cmd_live');
    expect(isWellFormed(s, 'cmd_live')).toBe(true);
    expect(isWellFormed(s, 'cmd_test')).toBe(false);
    let detected = 0;
    for (let i = 'cmd_live_'.length; i < s.length; i++) {
      if (s[i] === '_') continue;
      const typo = s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
      if (!isWellFormed(typo, 'cmd_live')) detected++;
    }
    expect(detected).toBe(s.length - 'cmd_live_'.length - 1);
  });

  it('draws uniformly from base62', () => {
    const counts = new Map<string, number>();
    for (const ch of randomBase62(62_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(700);
  });
});
