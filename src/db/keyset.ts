/**
 * Every row of a keyset-paged read, one page at a time: `readAfter(key)` answers at most `pageSize`
 * rows after `key`, in key order; a short page is the last. A large log or file streams without
 * sitting in memory.
 */
export async function* keysetRows<T>(readAfter: (after: number) => Promise<T[]>, keyOf: (row: T) => number, pageSize: number, first = -1): AsyncGenerator<T> {
  let after = first;
  for (;;) {
    const page = await readAfter(after);
    yield* page;
    if (page.length < pageSize) return;
    after = keyOf(page[page.length - 1]!);
  }
}
