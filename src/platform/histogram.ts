/**
 * p-th percentile of a histogram over fixed buckets: `counts[b]` values fell in [edges[b-1], edges[b])
 * (bucket 0 starts at 0; the last bucket, past the last edge, is open). Answers the bucket that holds the
 * rank, interpolated linearly inside it (whole units); the open bucket answers its lower bound.
 */
export function bucketPercentile(edges: readonly number[], counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, n) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    const n = counts[b]!;
    if (n > 0 && seen + n >= rank) {
      const lo = b === 0 ? 0 : edges[b - 1]!;
      if (b >= edges.length) return lo;
      const hi = edges[b]!;
      return Math.floor(lo + ((hi - lo) * (rank - seen - 0.5)) / n);
    }
    seen += n;
  }
  return null;
}
