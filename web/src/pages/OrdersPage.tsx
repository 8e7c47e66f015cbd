import { useId, type FormEvent } from 'react';
import { Pager, useCursorPaging } from '../components/Pager';
import { LiveState, NewOrderAlertToggle, useLive } from '../live';
import { api, qs, type OrderRow } from '../api';
import { useChain } from '../chain';
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
  const ids = { v: useId(), s: useId(), f: useId(), t: useId(), c: useId() };
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

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams({ vendor_id: vendorId, status, from, to, code: code.trim(), cursor: null, page: null });
  };
  const rows = list.data?.orders ?? [];
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
      <form className="panel inline-form" onSubmit={apply} aria-label={t('common.filters')}>
        <div className="field">
          <label htmlFor={ids.v}>{t('orders.store')}</label>
          <select id={ids.v} value={vendorId} onChange={(e) => setFields({ vendorId: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {vendors?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.s}>{t('common.status')}</label>
          <select id={ids.s} value={status} onChange={(e) => setFields({ status: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orders.status.${s}` as 'orders.status.RECEIVED')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.f}>{t('orders.from')}</label>
          <input id={ids.f} type="date" value={from} onChange={(e) => setFields({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.t}>{t('orders.to')}</label>
          <input id={ids.t} type="date" value={to} onChange={(e) => setFields({ to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.c}>{t('orders.code')}</label>
          <input id={ids.c} value={code} onChange={(e) => setFields({ code: e.target.value })} maxLength={64} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit" className="primary">
            {t('common.apply')}
          </button>
        </div>
      </form>
      <ErrorBox error={list.error} />
      <p className="muted" aria-live="off">
        <LiveState live={t('live.on')} polling={t('live.polling')} /> · {t('common.timesIn', { zone: place.timeZone })}
      </p>
      {list.data && <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="orders-pager" />}
      <div className="table-wrap">
        <table aria-label={t('orders.title')} data-testid="orders-table">
          <thead>
            <tr>
              <th scope="col">{t('orders.code')}</th>
              <th scope="col">{t('orders.created')}</th>
              <th scope="col">{t('orders.store')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('orders.delivery')}</th>
              <th scope="col">{t('orders.customer')}</th>
              <th scope="col">{t('orders.items')}</th>
              <th scope="col" className="num">
                {t('orders.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={8}>{list.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {rows.map((o) => {
              const v = storeOf(o.vendor_id);
              return (
                <tr key={o.id} data-order-id={o.id} data-status={o.status}>
                  <th scope="row">
                    <Link href={chainPath(chain.id, `orders/${o.id}`)}>{o.order_code}</Link>
                    {o.is_test && <span className="badge test">{t('orders.testBadge')}</span>}
                  </th>
                  <td className="nowrap">{formatDateTime(o.created_at, place)}</td>
                  <td>{v ? v.name : o.vendor_id}</td>
                  <td>
                    <OrderStatusBadge status={o.status} />
                  </td>
                  <td>{t(`orders.transport.${o.transport_type}` as 'orders.transport.LOGISTICS_DELIVERY')}</td>
                  <td>{o.customer_name}</td>
                  <td>{o.items}</td>
                  <td className="num nowrap">{formatMoney(o.order_total, { ...place, currency: o.currency })}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {list.data && rows.length > 10 && <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="orders-pager-bottom" />}
    </>
  );
}
