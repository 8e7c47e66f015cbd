import { useI18n } from '../i18n';
import { useQueryParams } from '../router';

export interface PagerProps {
  /** 1-based position of the first row shown (0 when the page is empty). */
  from: number;
  /** Position of the last row shown. */
  to: number;
  /** Rows matching the filters; null = unknown. */
  total: number | null;
  /** True when `total` is a lower bound (counting stopped there), shown as "10.000+". */
  totalCapped?: boolean;
  onFirst?: () => void;
  onPrev?: () => void;
  onNext?: () => void;
  /** Test id and accessible name suffix when a page has two lists. */
  testId?: string;
}

/**
 * "51–100 of 1,234" with first/previous/next buttons. Works for cursor paging (the caller decides what
 * previous means) and page numbers alike; a missing handler disables its button.
 */
export function Pager({ from, to, total, totalCapped, onFirst, onPrev, onNext, testId = 'pager' }: PagerProps) {
  const { t, lang } = useI18n();
  const n = (v: number) => v.toLocaleString(lang === 'es' ? 'es-AR' : 'en-US');
  const totalText = total === null ? '' : `${n(total)}${totalCapped ? '+' : ''}`;
  const range = to === 0 ? t('pager.none') : total === null ? t('pager.rangeOnly', { from: n(from), to: n(to) }) : t('pager.range', { from: n(from), to: n(to), total: totalText });
  return (
    <nav className="pager" aria-label={t('pager.label')} data-testid={testId}>
      <span className="pager-range" data-testid={`${testId}-range`} aria-live="polite">
        {range}
      </span>
      <span className="pager-buttons">
        <button type="button" className="small" onClick={onFirst} disabled={!onFirst}>
          {t('pager.first')}
        </button>
        <button type="button" className="small" onClick={onPrev} disabled={!onPrev}>
          {t('pager.prev')}
        </button>
        <button type="button" className="small" onClick={onNext} disabled={!onNext}>
          {t('pager.next')}
        </button>
      </span>
    </nav>
  );
}

// Where each cursor page came from, so "previous" can step back exactly (a shared link starts with none).
const previousOf = new Map<string, string>();

export interface CursorPaging {
  /** The cursor to send (undefined = first page). */
  cursor: string | undefined;
  /** 1-based page number (from the URL; display only). */
  page: number;
  /** Props for <Pager> given this page's rows and the server's next_cursor. */
  pagerProps(count: number, nextCursor: string | null, total: number | null, totalCapped?: boolean): PagerProps;
}

/**
 * Keyset paging kept in the URL (`cursor`, `page`), next to the page's filters: the view reloads and
 * shares as it is. Changing a filter must drop both (pass `{ cursor: null, page: null }` with it).
 */
export function useCursorPaging(pageSize: number): CursorPaging {
  const [params, update] = useQueryParams();
  const cursor = params.get('cursor') ?? undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const goFirst = () => update({ cursor: null, page: null });
  return {
    cursor,
    page: cursor ? page : 1,
    pagerProps(count, nextCursor, total, totalCapped) {
      const current = cursor ? page : 1;
      const from = count === 0 ? 0 : (current - 1) * pageSize + 1;
      return {
        from,
        to: count === 0 ? 0 : from + count - 1,
        total,
        totalCapped,
        onFirst: current > 1 ? goFirst : undefined,
        onPrev:
          current > 1
            ? () => {
                const back = cursor ? previousOf.get(cursor) : undefined;
                if (back && current > 2) update({ cursor: back, page: current - 1 });
                else goFirst();
              }
            : undefined,
        onNext: nextCursor
          ? () => {
              previousOf.set(nextCursor, cursor ?? '');
              update({ cursor: nextCursor, page: current + 1 });
            }
          : undefined,
      };
    },
  };
}
