import type { PagerProps } from './Pager';

/** Pager props for numbered pages kept in the URL (`page`), given this page's row count and the total. */
export function pageNumberPager(page: number, pageSize: number, count: number, total: number | null, go: (page: number | null) => void, testId?: string): PagerProps {
  const from = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = total === null ? page : Math.max(1, Math.ceil(total / pageSize));
  return {
    from,
    to: count === 0 ? 0 : from + count - 1,
    total,
    onFirst: page > 1 ? () => go(null) : undefined,
    onPrev: page > 1 ? () => go(page - 1 === 1 ? null : page - 1) : undefined,
    onNext: page < last ? () => go(page + 1) : undefined,
    ...(testId ? { testId } : {}),
  };
}

/** The 1-based page number in a query string value (anything else is page 1). */
export function pageParam(value: string | null): number {
  return Math.max(1, Number.parseInt(value ?? '1', 10) || 1);
}
