import { Pager, useCursorPaging } from '../components/Pager';
import { LiveState, NewOrderAlertToggle, useLive } from '../live';
import { api, qs, type OrderRow } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { ButtonField, FilterBar, SelectField, TextField, storeOptions } from '../components/fields';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime, formatMoney, zonedInputToIso } from '../format';
import { useI18n } from '../i18n';
import { chainPath } from '../paths';
import { ORDER_STATUSES, OrderStatusBadge } from '../components/OrderStatusBadge';
import { Link, useQueryParams, useUrlFilters } from '../router';

const PAGE_SIZE = 50;

/** Orders: the live list with filters (in the URL), cursor paging with the total, and CSV export (staff and admins). */
export function OrdersPage() {
  const { t } = useI18n();
  const { chain, vendors, place } = useChain();
  const [params, setParams] = useQueryParams();
  const applied = { vendorId: params.get('vendor_id') ?? '', status: params.get('status') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '', code: params.get('code') ?? '' };
  const [{ vendorId, status, from, to, code }, setFields] = useUrlFilters(applied);
  const paging = useCursorPaging(PAGE_SIZE);
  const filterQs = qs({
    vendor_id: applied.vendorId,
    status: applied.status,
    from: zonedInputToIso(applied.from, place.timeZone),
    // "to" is a day: up to the end of it.
    to: applied.to ? new Date(Date.parse(zonedInputToIso(applied.to, place.timeZone)!) + 86_400_000).toISOString() : undefined,
    code: applied.code.trim(),
  });
  const pageQs = `${filterQs}${filterQs ? '&' : '?'}limit=${PAGE_SIZE}${paging.cursor ? `&cursor=${encodeURIComponent(paging.cursor)}` : ''}`;
  const list = useLoad(() => api<{ orders: OrderRow[]; next_cursor: string | null; total_count: number; total_capped: boolean }>('GET', `/chains/${chain.id}/orders${pageQs}`), [chain.id, pageQs]);
  useLive(list.reload, ['orders']);
  const storeOf = (id: string) => vendors?.find((v) => v.id === id);

  const apply = () =>
    setParams({ vendor_id: vendorId, status, from, to, code: code.trim(), cursor: null, page: null });
  const rows = list.data?.orders ?? [];
  const columns: Array<Column<OrderRow>> = [
    {
      key: 'code',
      header: t('orders.code'),
      rowHeader: true,
      render: (o) => (
        <>
          <Link href={chainPath(chain.id, `orders/${o.id}`)}>{o.order_code}</Link>
          {o.is_test && <span className="badge test">{t('orders.testBadge')}</span>}
        </>
      ),
    },
    { key: 'created', header: t('orders.created'), className: 'nowrap', render: (o) => formatDateTime(o.created_at, place) },
    { key: 'store', header: t('orders.store'), render: (o) => storeOf(o.vendor_id)?.name ?? o.vendor_id },
    { key: 'status', header: t('common.status'), render: (o) => <OrderStatusBadge status={o.status} /> },
    { key: 'delivery', header: t('orders.delivery'), render: (o) => t(`orders.transport.${o.transport_type}` as 'orders.transport.LOGISTICS_DELIVERY') },
    { key: 'customer', header: t('orders.customer'), render: (o) => o.customer_name },
    { key: 'items', header: t('orders.items'), render: (o) => o.items },
    { key: 'total', header: t('orders.total'), className: 'num nowrap', render: (o) => formatMoney(o.order_total, { ...place, currency: o.currency }) },
  ];
  return (
    <>
      <PageHeader
        title={t('orders.title')}
        intro={t('orders.intro')}
        actions={
          <>
            <NewOrderAlertToggle label={t('live.alert')} />
            <a className="button" href={`/portal/api/chains/${chain.id}/orders/export.csv${filterQs}`} download data-testid="export-csv">
              {t('orders.export')}
            </a>
          </>
        }
      />
      <FilterBar onApply={apply} search={false} apply={<ButtonField className="primary">{t('common.apply')}</ButtonField>}>
        <SelectField label={t('orders.store')} value={vendorId} onChange={(v) => setFields({ vendorId: v })} all={t('common.all')} options={storeOptions(vendors)} />
        <SelectField label={t('common.status')} value={status} onChange={(v) => setFields({ status: v })} all={t('common.all')} options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders.status.${s}` as 'orders.status.RECEIVED') }))} />
        <TextField label={t('orders.from')} type="date" value={from} onChange={(v) => setFields({ from: v })} />
        <TextField label={t('orders.to')} type="date" value={to} onChange={(v) => setFields({ to: v })} />
        <TextField label={t('orders.code')} value={code} onChange={(v) => setFields({ code: v })} maxLength={64} />
      </FilterBar>
      <ErrorBox error={list.error} />
      <p className="muted" aria-live="off">
        <LiveState live={t('live.on')} polling={t('live.polling')} /> · {t('common.timesIn', { zone: place.timeZone })}
      </p>
      {list.data && <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="orders-pager" />}
      <DataTable
        columns={columns}
        rows={list.data ? rows : null}
        rowKey={(o) => o.id}
        rowProps={(o) => ({ 'data-order-id': o.id, 'data-status': o.status })}
        label={t('orders.title')}
        testId="orders-table"
        narrow="scroll"
        pager={list.data && rows.length > 10 ? <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="orders-pager-bottom" /> : undefined}
      />
    </>
  );
}
