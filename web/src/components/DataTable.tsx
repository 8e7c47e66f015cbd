import type { ReactNode } from 'react';
import { useI18n } from '../i18n';

/** One column of a DataTable. */
export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Applied to the header and every cell: 'num' (right-aligned), 'nowrap', 'actions', 'details', 'chips'. */
  className?: string;
  /** The cell that names the row (a <th scope="row">; the card's title on narrow screens). */
  rowHeader?: boolean;
  /** The header is read by screen readers only (e.g. the actions column). */
  srOnlyHeader?: boolean;
  /** Label shown before the value when the table turns into cards; defaults to the header when it is text. */
  cardLabel?: string;
}

export interface DataTableProps<T> {
  columns: Array<Column<T>>;
  /** null while the first answer is loading. */
  rows: T[] | null;
  rowKey: (row: T) => string;
  /** data-* (and other) attributes of each row, e.g. { 'data-order-id': id } for tests and styling. */
  rowProps?: (row: T) => Record<string, string | undefined>;
  /** The table's accessible name. */
  label: string;
  testId?: string;
  /** What an empty list says (defaults to "nothing to show"). */
  empty?: ReactNode;
  /** Rendered under the table (a <Pager>). */
  pager?: ReactNode;
  /**
   * On narrow screens (≤ 760 px): 'cards' turns each row into a card of label/value lines (the
   * default); 'scroll' keeps the table and scrolls it inside its card. The page never scrolls sideways.
   */
  narrow?: 'cards' | 'scroll';
  /** Extra class on the <table> (e.g. 'compact'). */
  className?: string;
}

/**
 * The portal's list table: columns, rows, loading and empty states, an optional pager, and a layout
 * that fits a phone. Cells keep their table roles in card mode (explicit ARIA roles survive
 * `display: block`), so screen readers and tests see the same table at every width.
 */
export function DataTable<T>({ columns, rows, rowKey, rowProps, label, testId, empty, pager, narrow = 'cards', className }: DataTableProps<T>) {
  const { t } = useI18n();
  const labelOf = (c: Column<T>) => (c.cardLabel ?? (typeof c.header === 'string' ? c.header : '')) || undefined;
  return (
    <div className={`data-table ${narrow}`}>
      <div className="table-wrap">
        <table role="table" aria-label={label} data-testid={testId} className={className}>
          <thead role="rowgroup">
            <tr role="row">
              {columns.map((c) => (
                <th key={c.key} scope="col" role="columnheader" className={c.className}>
                  {c.srOnlyHeader ? <span className="sr-only">{c.header}</span> : c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {(rows === null || rows.length === 0) && (
              <tr role="row" className="empty-row">
                <td role="cell" colSpan={columns.length} aria-busy={rows === null || undefined}>
                  {rows === null ? t('app.loading') : (empty ?? t('common.empty'))}
                </td>
              </tr>
            )}
            {rows?.map((row) => (
              <tr key={rowKey(row)} role="row" {...rowProps?.(row)}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.key} scope="row" role="rowheader" className={c.className}>
                      {c.render(row)}
                    </th>
                  ) : (
                    <td key={c.key} role="cell" className={c.className} data-label={labelOf(c)}>
                      {c.render(row)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pager}
    </div>
  );
}
