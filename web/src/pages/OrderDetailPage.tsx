import { api, ApiError, qs, type Answer, type Schema } from '../api';
import { useChain } from '../chain';
import { DataTable } from '../components/DataTable';
import { ErrorBox, LoadState, PageHeader, useLoad } from '../components/ui';
import { formatDateTime, formatMoney, type Place } from '../format';
import { useI18n } from '../i18n';
import { chainPath } from '../paths';
import { Link, usePathname } from '../router';
import { AttemptsTable } from '../components/AttemptsTable';
import { DeliveryStatus } from '../components/DeliveryStatus';
import { useLive } from '../live';
import { Pager, useCursorPaging } from '../components/Pager';
import { OrderStatusBadge } from '../components/OrderStatusBadge';

/** The route answers the partner API's order object, which its schema leaves undescribed: that is the Order schema. */
type Detail = Omit<Answer<'/chains/{chainId}/orders/{orderId}'>, 'order'> & { order: Schema<'Order'> };
type Item = Detail['order']['items'][number];
type Pricing = Item['pricing'];

/** Deliveries per page on the order page (each with its attempts). */
const DELIVERIES_PAGE = 20;

function amount(p: Pricing): string {
  return p.pricing_type === 'KG' ? `${p.weight ?? 0} kg` : String(p.quantity);
}

/** An item the picker added (an addition or a replacement): nothing of it was ordered. */
const isAdded = (i: Item) => i.status === 'ADDITION' || Boolean(i.replaced_id);

const money = (n: unknown, place: Place) => (typeof n === 'number' ? formatMoney(n, place) : '');

/** One order: items as ordered vs as picked, totals, timeline and its webhook deliveries (live). */
export function OrderDetailPage() {
  const { t } = useI18n();
  const { chain, vendors, place: chainPlace } = useChain();
  const orderId = /\/orders\/([^/]+)/.exec(usePathname())?.[1] ?? '';
  const paging = useCursorPaging(DELIVERIES_PAGE);
  const detailQs = qs({ deliveries_limit: DELIVERIES_PAGE, deliveries_cursor: paging.cursor });
  const detail = useLoad(() => api<Detail>('GET', `/chains/${chain.id}/orders/${encodeURIComponent(orderId)}${detailQs}`), [chain.id, orderId, detailQs]);
  useLive(detail.reload, ['orders', 'deliveries']);
  const o = detail.data?.order;
  const missing = detail.error instanceof ApiError && detail.error.status === 404;
  const vendor = o ? vendors?.find((v) => v.id === o.client.id) : undefined;
  const place: Place = vendor ? { locale: vendor.locale, timeZone: vendor.time_zone, currency: vendor.currency } : chainPlace;
  const byId = new Map((o?.items ?? []).map((i) => [i._id, i]));
  const replacementOf = new Map((o?.items ?? []).filter((i) => i.replaced_id).map((i) => [i.replaced_id!, i]));

  return (
    <>
      <PageHeader title={o ? t('order.title', { code: o.order_code }) : missing ? t('state.notFound.title') : detail.error ? t('state.error.title') : t('app.loading')} actions={<Link href={chainPath(chain.id, 'orders')}>{t('order.back')}</Link>} />
      {o && <ErrorBox error={detail.error} />}
      <LoadState
        error={detail.error}
        loaded={!!o}
        onRetry={() => void detail.reload()}
        notFound={
          <>
            <p>{t('order.notFound', { id: orderId })}</p>
            <Link href={chainPath(chain.id, 'orders')}>{t('order.backToList')}</Link>
          </>
        }
      >
        {o && (
        <>
          <section className="panel summary-grid" aria-label={t('order.summary')} data-testid="order-summary">
            <div>
              <span className="muted">{t('common.status')}</span> <OrderStatusBadge status={o.status} />
            </div>
            <div>
              <span className="muted">{t('orders.store')}</span> {o.client.name} <code>{o.client.vendor_id}</code>
            </div>
            <div>
              <span className="muted">{t('orders.delivery')}</span> {t(`orders.transport.${o.transport_type}` as 'orders.transport.LOGISTICS_DELIVERY')}
            </div>
            <div>
              <span className="muted">{t('orders.customer')}</span> {o.customer.first_name} {o.customer.last_name}
            </div>
            <div>
              <span className="muted">{t('orders.created')}</span> {formatDateTime(o.sys.created_at, place)}
            </div>
            <div>
              <span className="muted">{t('order.promised')}</span> {formatDateTime(o.promised_for, place)}
            </div>
            <div>
              <span className="muted">{t('order.external')}</span> <code>{o.external_order_id}</code>
            </div>
            {o.cancellation && (
              <div>
                <span className="muted">{t('order.cancellation')}</span> {o.cancellation.reason} ({o.cancellation.cancelled_by})
              </div>
            )}
            {o.comment && (
              <div>
                <span className="muted">{t('order.comment')}</span> {o.comment}
              </div>
            )}
          </section>

          <h2>{t('order.items')}</h2>
          <DataTable
            columns={[
              { key: 'sku', header: 'SKU', render: (i) => <code>{i.sku}</code> },
              {
                key: 'product',
                header: t('order.product'),
                render: (i) => (
                  <span>
                    {i.name}
                    {i.replaced_id && <div className="muted">{t('order.replaces', { name: byId.get(i.replaced_id)?.name ?? i.replaced_id })}</div>}
                    {replacementOf.has(i._id) && <div className="muted">{t('order.replacedBy', { name: replacementOf.get(i._id)!.name })}</div>}
                  </span>
                ),
              },
              { key: 'status', header: t('common.status'), render: (i) => t(`order.itemStatus.${i.status}` as 'order.itemStatus.IN_CART') },
              { key: 'ordered', header: t('order.ordered'), className: 'num', render: (i) => (isAdded(i) ? t('common.none') : amount(i.original_pricing)) },
              { key: 'picked', header: t('order.picked'), className: 'num', render: (i) => (i.status === 'NOT_FOUND' || i.status === 'REPLACED' || i.status === 'NOT_PROCESSED' ? t('common.none') : amount(i.pricing)) },
              { key: 'unit', header: t('order.unitPrice'), className: 'num nowrap', render: (i) => `${money(i.pricing.unit_price, place)}${i.pricing.pricing_type === 'KG' ? ' /kg' : ''}` },
              { key: 'orderedTotal', header: t('order.orderedTotal'), className: 'num nowrap', render: (i) => (isAdded(i) ? t('common.none') : money(i.original_pricing.total_price, place)) },
              { key: 'pickedTotal', header: t('order.pickedTotal'), className: 'num nowrap', render: (i) => money(i.pricing.total_price, place) },
            ]}
            rows={o.items}
            rowKey={(i) => i._id}
            rowProps={(i) => ({ 'data-sku': i.sku, 'data-item-status': i.status })}
            label={t('order.items')}
            testId="order-items"
            narrow="scroll"
          />

          <section className="panel totals" aria-label={t('order.totals')} data-testid="order-totals">
            {(['sub_total', 'delivery_fee', 'service_fee', 'discount', 'total_taxes', 'order_total'] as const).map((k) => (
              <div key={k} className={k === 'order_total' ? 'strong' : ''}>
                <span>{t(`order.pay.${k}`)}</span> <span className="num">{money(o.payment[k], place)}</span>
              </div>
            ))}
          </section>

          <h2>{t('order.timeline')}</h2>
          <ol className="timeline" data-testid="order-timeline">
            {detail.data!.timeline.map((e) => (
              <li key={`${e.version}-${e.type}`}>
                <span className="nowrap">{formatDateTime(e.created_at, place)}</span> <code>{e.type}</code> → <OrderStatusBadge status={e.status} /> <span className="muted">{e.actor}</span>
                {e.webhook && <span className="badge">webhook</span>}
              </li>
            ))}
          </ol>

          <h2>{t('order.deliveries')}</h2>
          {detail.data!.deliveries.length === 0 && !paging.cursor && <p className="muted">{t('order.noDeliveries')}</p>}
          {(detail.data!.deliveries.length > 0 || paging.cursor) && (
            <Pager {...paging.pagerProps(detail.data!.deliveries.length, detail.data!.deliveries_next_cursor, detail.data!.deliveries_total_count, detail.data!.deliveries_total_capped)} testId="order-deliveries-pager" />
          )}
          {detail.data!.deliveries.map(({ delivery: d, attempts, endpoint }) => (
            <section key={d.id} className="panel" data-delivery-id={d.id}>
              <div>
                <code>{d.event_type}</code> <DeliveryStatus status={d.status} attempts={d.attempts} nextAttemptAt={d.next_attempt_at} /> <span className="muted">{formatDateTime(d.created_at, place)}</span>
              </div>
              <p className="details" data-testid="delivery-endpoint">
                {endpoint ? t('deliveries.endpointOf', { endpoint: endpoint.description ? `${endpoint.description} (${endpoint.url})` : endpoint.url }) : t('deliveries.endpointGone')}
              </p>
              <AttemptsTable attempts={attempts} />
            </section>
          ))}
        </>
        )}
      </LoadState>
    </>
  );
}
