import { useState } from 'react';
import { api, qs, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { ButtonField, CloseButton, FilterBar, InlineForm, SelectField, TextField } from '../components/fields';
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

  const filter = () => setParams({ endpoint_id: endpointId, status, order_id: orderId.trim(), since, until, cursor: null, page: null });
  const replayOne = async (d: WebhookDelivery) => {
    try {
      await api('POST', `${base}/deliveries/${d.id}/replay`);
      setNotice(t('deliveries.replayed', { n: 1 }));
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    }
  };
  const replayAll = async () => {
    try {
      const r = await api<{ replayed: number }>('POST', `${base}/${endpointId}/replay`, { since: zonedInputToIso(replaySince, place.timeZone) });
      setNotice(t('deliveries.replayed', { n: r.replayed }));
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    }
  };

  const rows = list.data?.deliveries ?? [];
  const columns: Array<Column<WebhookDelivery>> = [
    { key: 'created', header: t('deliveries.created'), className: 'nowrap', render: (d) => formatDateTime(d.created_at, place) },
    { key: 'event', header: t('deliveries.event'), render: (d) => <code>{d.event_type}</code> },
    { key: 'order', header: t('deliveries.orderId'), render: (d) => (d.order_id ? <Link href={chainPath(chain.id, `orders/${d.order_id}`)}>{d.order_id.slice(0, 8)}</Link> : t('common.none')) },
    { key: 'endpoint', header: t('deliveries.endpoint'), className: 'details', render: (d) => urlOf(d.endpoint_id) },
    { key: 'status', header: t('common.status'), render: (d) => <DeliveryStatus status={d.status} attempts={d.attempts} nextAttemptAt={d.next_attempt_at} /> },
    { key: 'attempts', header: t('deliveries.attempts'), render: (d) => d.attempts },
    { key: 'http', header: 'HTTP', render: (d) => d.last_status_code ?? t('common.none') },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (d) => (
        <>
          <button type="button" className="small" onClick={() => setOpen(d)}>
            {t('deliveries.details')}
          </button>{' '}
          {canResend(d) && (
            <button type="button" className="small" onClick={() => void replayOne(d)}>
              {t('deliveries.replay')}
            </button>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      <PageHeader title={t('deliveries.title')} intro={t('deliveries.intro')} actions={<Link href={chainPath(chain.id, 'integrations/webhooks')}>{t('nav.webhooks')}</Link>} />
      <FilterBar
        onApply={filter}
        search={false}
        apply={
          <>
            <ButtonField className="primary">{t('common.apply')}</ButtonField>
            <ButtonField type="button" onClick={() => setChanges((n) => n + 1)}>
              {t('common.refresh')}
            </ButtonField>
          </>
        }
      >
        <SelectField label={t('deliveries.endpoint')} value={endpointId} onChange={(v) => setFields({ endpointId: v })} all={t('common.all')} options={(endpoints.data?.endpoints ?? []).map((ep) => ({ value: ep.id, label: ep.url }))} />
        <SelectField label={t('common.status')} value={status} onChange={(v) => setFields({ status: v })} all={t('common.all')} options={STATUSES.map((s) => ({ value: s, label: t(`deliveries.status.${s}` as 'deliveries.status.pending') }))} />
        <TextField label={t('deliveries.orderId')} value={orderId} onChange={(v) => setFields({ orderId: v })} maxLength={64} />
        <TextField label={t('common.since')} type="datetime-local" value={since} onChange={(v) => setFields({ since: v })} />
        <TextField label={t('common.until')} type="datetime-local" value={until} onChange={(v) => setFields({ until: v })} />
      </FilterBar>

      <InlineForm onSubmit={() => void replayAll()} label={t('deliveries.replayAll')}>
        <TextField label={t('deliveries.replaySince')} type="datetime-local" value={replaySince} onChange={setReplaySince} required hint={endpointId ? urlOf(endpointId) : t('deliveries.pickEndpoint')} />
        <ButtonField disabled={!endpointId || !replaySince}>{t('deliveries.replayAll')}</ButtonField>
      </InlineForm>

      <Notice message={notice} />
      <ErrorBox error={list.error} />
      <p className="muted">
        <LiveState live={t('live.on')} polling={t('live.polling')} /> · {t('common.timesIn', { zone: place.timeZone })}
      </p>
      {list.data && <Pager {...paging.pagerProps(rows.length, list.data.next_cursor, list.data.total_count, list.data.total_capped)} testId="deliveries-pager" />}
      <DataTable
        columns={columns}
        rows={list.data ? rows : null}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ 'data-delivery-id': d.id, 'data-status': d.status })}
        label={t('deliveries.title')}
        testId="deliveries-table"
        narrow="scroll"
      />
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
      <CloseButton onClose={onClose} autoFocus />
    </Modal>
  );
}
