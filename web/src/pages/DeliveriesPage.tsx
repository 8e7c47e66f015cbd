import { useId, useState, type FormEvent } from 'react';
import { api, qs, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from '../api';
import { useChain } from '../chain';
import { ErrorBox, Modal, Notice, PageHeader, errorText, useLoad } from '../components/ui';
import { formatDateTime, zonedInputToIso } from '../format';
import { useI18n } from '../i18n';
import { chainPath } from '../paths';
import { AttemptsTable } from '../components/AttemptsTable';
import { DeliveryStatus, canResend } from '../components/DeliveryStatus';
import { Link, useQueryParams, useUrlFilters } from '../router';
import { Pager, useCursorPaging } from '../components/Pager';
import { LiveState, useLive } from '../live';

const PAGE_SIZE = 50;

const STATUSES = ['pending', 'in_flight', 'succeeded', 'dead', 'cancelled'];

/** Shops Integrations → Delivery log: filters, detail with attempts, replay one or all failed since a time. */
export function DeliveriesPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const [params, setParams] = useQueryParams();
  const applied = { endpointId: params.get('endpoint_id') ?? '', status: params.get('status') ?? '', orderId: params.get('order_id') ?? '', since: params.get('since') ?? '', until: params.get('until') ?? '' };
  const [{ endpointId, status, orderId, since, until }, setFields] = useUrlFilters(applied);
  const paging = useCursorPaging(PAGE_SIZE);
  const [changes, setChanges] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<WebhookDelivery | null>(null);
  const [replaySince, setReplaySince] = useState('');
  const ids = { ep: useId(), st: useId(), ord: useId(), since: useId(), until: useId(), rs: useId() };
  const base = `/chains/${chain.id}/webhooks`;
  const endpoints = useLoad(() => api<{ endpoints: WebhookEndpoint[] }>('GET', base), [chain.id]);
  const list = useLoad(
    () =>
      api<{ deliveries: WebhookDelivery[]; next_cursor: string | null; total_count: number; total_capped: boolean }>(
        'GET',
        `${base}/deliveries${qs({
          endpoint_id: applied.endpointId,
          status: applied.status,
          order_id: applied.orderId.trim(),
          since: zonedInputToIso(applied.since, place.timeZone),
          until: zonedInputToIso(applied.until, place.timeZone),
          limit: PAGE_SIZE,
          cursor: paging.cursor,
        })}`,
      ),
    [chain.id, applied.endpointId, applied.status, applied.orderId, applied.since, applied.until, paging.cursor, changes, place.timeZone],
  );
  useLive(list.reload, ['deliveries']);
  const urlOf = (id: string) => endpoints.data?.endpoints.find((e) => e.id === id)?.url ?? id;

  const filter = (e: FormEvent) => {
    e.preventDefault();
    setParams({ endpoint_id: endpointId, status, order_id: orderId.trim(), since, until, cursor: null, page: null });
  };
  const replayOne = async (d: WebhookDelivery) => {
    try {
      await api('POST', `${base}/deliveries/${d.id}/replay`);
      setNotice(t('deliveries.replayed', { n: 1 }));
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    }
  };
  const replayAll = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api<{ replayed: number }>('POST', `${base}/${endpointId}/replay`, { since: zonedInputToIso(replaySince, place.timeZone) });
      setNotice(t('deliveries.replayed', { n: r.replayed }));
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    }
  };

  const rows = list.data?.deliveries ?? [];
  return (
    <>
      <PageHeader title={t('deliveries.title')} intro={t('deliveries.intro')} actions={<Link href={chainPath(chain.id, 'integrations/webhooks')}>{t('nav.webhooks')}</Link>} />
      <form className="panel inline-form" onSubmit={filter} aria-label={t('common.filters')}>
        <div className="field">
          <label htmlFor={ids.ep}>{t('deliveries.endpoint')}</label>
          <select id={ids.ep} value={endpointId} onChange={(e) => setFields({ endpointId: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {endpoints.data?.endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.url}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.st}>{t('common.status')}</label>
          <select id={ids.st} value={status} onChange={(e) => setFields({ status: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`deliveries.status.${s}` as 'deliveries.status.pending')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.ord}>{t('deliveries.orderId')}</label>
          <input id={ids.ord} value={orderId} onChange={(e) => setFields({ orderId: e.target.value })} maxLength={64} />
        </div>
        <div className="field">
          <label htmlFor={ids.since}>{t('common.since')}</label>
          <input id={ids.since} type="datetime-local" value={since} onChange={(e) => setFields({ since: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.until}>{t('common.until')}</label>
          <input id={ids.until} type="datetime-local" value={until} onChange={(e) => setFields({ until: e.target.value })} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit" className="primary">
            {t('common.apply')}
          </button>
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="button" onClick={() => setChanges((n) => n + 1)}>
            {t('common.refresh')}
          </button>
        </div>
      </form>

      <form className="panel inline-form" onSubmit={replayAll} aria-label={t('deliveries.replayAll')}>
        <div className="field">
          <label htmlFor={ids.rs}>{t('deliveries.replaySince')}</label>
          <input id={ids.rs} type="datetime-local" value={replaySince} onChange={(e) => setReplaySince(e.target.value)} required />
          <small>{endpointId ? urlOf(endpointId) : t('deliveries.pickEndpoint')}</small>
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit" disabled={!endpointId || !replaySince}>
            {t('deliveries.replayAll')}
          </button>
        </div>
      </form>

      <Notice message={notice} />
      <ErrorBox error={list.error} />
      <p className="muted">
        <LiveState live={t('live.on')} polling={t('live.polling')} /> · {t('common.timesIn', { zone: place.timeZone })}
      </p>
      {list.data && <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="deliveries-pager" />}
      <div className="table-wrap">
        <table aria-label={t('deliveries.title')} data-testid="deliveries-table">
          <thead>
            <tr>
              <th scope="col">{t('deliveries.created')}</th>
              <th scope="col">{t('deliveries.event')}</th>
              <th scope="col">{t('deliveries.orderId')}</th>
              <th scope="col">{t('deliveries.endpoint')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('deliveries.attempts')}</th>
              <th scope="col">HTTP</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={8}>{list.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {rows.map((d) => (
              <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                <td className="nowrap">{formatDateTime(d.created_at, place)}</td>
                <td>
                  <code>{d.event_type}</code>
                </td>
                <td>{d.order_id ? <Link href={chainPath(chain.id, `orders/${d.order_id}`)}>{d.order_id.slice(0, 8)}</Link> : t('common.none')}</td>
                <td className="details">{urlOf(d.endpoint_id)}</td>
                <td>
                  <DeliveryStatus status={d.status} attempts={d.attempts} nextAttemptAt={d.next_attempt_at} />
                </td>
                <td>{d.attempts}</td>
                <td>{d.last_status_code ?? t('common.none')}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => setOpen(d)}>
                    {t('deliveries.details')}
                  </button>{' '}
                  {canResend(d) && (
                    <button type="button" className="small" onClick={() => void replayOne(d)}>
                      {t('deliveries.replay')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && <DeliveryDetailDialog delivery={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function DeliveryDetailDialog({ delivery, onClose }: { delivery: WebhookDelivery; onClose: () => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const detail = useLoad(() => api<{ delivery: WebhookDelivery; payload: unknown; attempts: WebhookAttempt[] }>('GET', `/chains/${chain.id}/webhooks/deliveries/${delivery.id}`), [delivery.id]);
  return (
    <Modal open title={`${delivery.event_type} · ${delivery.event_id}`} onClose={onClose}>
      <ErrorBox error={detail.error} />
      {detail.data && (
        <>
          <AttemptsTable attempts={detail.data.attempts} />
          <details>
            <summary>{t('deliveries.payload')}</summary>
            <pre className="payload">{JSON.stringify(detail.data.payload, null, 2)}</pre>
          </details>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
