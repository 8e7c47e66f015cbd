import { useEffect, useRef, useState } from 'react';
import { api, qs } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { FilterBar, SelectField, TextField } from '../components/fields';
import { Pager } from '../components/Pager';
import { pageNumberPager, pageParam } from '../components/paging';
import { ConfirmDialog, ErrorBox, Notice, PageHeader, errorText, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { hasMessage, useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../messages';
import { useQueryParams, useUrlFilters } from '../router';
import { PromotionDialog } from './promotions/PromotionDialog';
import { discountLabel, nameOf, typeLabel, type PortalPromotion, type PromotionJob } from './promotions/promotion-types';

export const PROMOTIONS_PAGE = 20;
const STATES = ['RUNNING', 'SCHEDULED', 'ENDED', 'INACTIVE'] as const;

const sourceLabel = (t: Translate, source: string) => {
  const key = `promo.source.${source}`;
  return hasMessage(key) ? t(key) : source;
};

/** What a finished promotion job did, in words: saved, or which SKUs could not be applied where. */
function jobOutcome(t: Translate, job: PromotionJob, storeName: (ref: string) => string): { text: string; kind: 'ok' | 'error' } {
  if (job.status === 'DUPLICATE') return { text: t('promo.job.duplicate'), kind: 'ok' };
  if (job.status === 'FAILED') return { text: t('promo.job.failed'), kind: 'error' };
  const list = (m: Record<string, string[]>) => Object.entries(m).map(([store, skus]) => `${skus.join(', ')} (${storeName(store)})`).join('; ');
  const parts: string[] = [];
  if (Object.keys(job.missing_skus).length) parts.push(t('promo.job.missing', { list: list(job.missing_skus) }));
  if (Object.keys(job.invalid_discounted_skus).length) parts.push(t('promo.job.invalid', { list: list(job.invalid_discounted_skus) }));
  if (job.invalid_vendors.length) parts.push(t('error.code.UNKNOWN_VENDORS', { vendors: job.invalid_vendors.join(', ') }));
  return parts.length ? { text: `${t('promo.job.savedWithIssues')} ${parts.join(' ')}`, kind: 'error' } : { text: t('promo.job.saved'), kind: 'ok' };
}

/**
 * Operations → promotions: filtered by state, store and SKU (in the URL), paged with the total, with
 * type, discount and source in words; create, edit and switch off/on, all through the promotion job.
 */
export function PromotionsPage() {
  const { t } = useI18n();
  const { chain, place, vendors } = useChain();
  const [params, update] = useQueryParams();
  const state = params.get('state') ?? '';
  const store = params.get('store') ?? '';
  const sku = params.get('sku') ?? '';
  const page = pageParam(params.get('page'));
  const [{ skuTerm }, setFields] = useUrlFilters({ skuTerm: sku });
  const [changes, setChanges] = useState(0);
  const [editing, setEditing] = useState<PortalPromotion | 'new' | null>(null);
  const [toggling, setToggling] = useState<PortalPromotion | null>(null);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const [pendingJob, setPendingJob] = useState<string | null>(null);
  const vendorsRef = useRef(vendors);
  vendorsRef.current = vendors;
  const list = useLoad(
    () => api<{ promotions: PortalPromotion[]; pagination: { total_count: number } }>('GET', `/chains/${chain.id}/promotions${qs({ state, vendor_id: store, sku, page, page_size: PROMOTIONS_PAGE })}`),
    [chain.id, state, store, sku, page, changes],
  );

  // Follow the last submitted change until its job has finished, then say what it did.
  useEffect(() => {
    if (!pendingJob) return;
    let stopped = false;
    const poll = async () => {
      try {
        const job = await api<PromotionJob>('GET', `/chains/${chain.id}/promotion-jobs/${pendingJob}`);
        if (stopped) return;
        if (job.status === 'QUEUED') {
          timer = setTimeout(() => void poll(), 700);
          return;
        }
        setNotice(jobOutcome(t, job, (ref) => vendorsRef.current?.find((v) => v.code === ref || v.external_id === ref)?.name ?? ref));
        setPendingJob(null);
        setChanges((n) => n + 1);
      } catch (err) {
        if (!stopped) setNotice({ text: errorText(t, err), kind: 'error' });
        setPendingJob(null);
      }
    };
    let timer = setTimeout(() => void poll(), 300);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pendingJob, chain.id, t]);

  const queued = (jobId: string, status: string) => {
    setEditing(null);
    setToggling(null);
    if (status === 'DUPLICATE') setNotice({ text: t('promo.job.duplicate'), kind: 'ok' });
    else {
      setNotice({ text: t('promo.job.queued', { job: jobId.slice(0, 8) }), kind: 'ok' });
      setPendingJob(jobId);
    }
  };
  const openEdit = async (p: PortalPromotion) => {
    try {
      const full = await api<PortalPromotion>('GET', `/chains/${chain.id}/promotions/${p.promotion_id}`);
      if (full.editable === false) setNotice({ text: t('error.code.PROMOTION_TOO_LARGE_TO_EDIT'), kind: 'error' });
      else setEditing(full);
    } catch (err) {
      setNotice({ text: errorText(t, err), kind: 'error' });
    }
  };
  const toggle = async (p: PortalPromotion) => {
    try {
      const r = await api<{ job_id: string; job_status: string }>('POST', `/chains/${chain.id}/promotions/${p.promotion_id}/active`, { active: !p.active });
      queued(r.job_id, r.job_status);
    } catch (err) {
      setToggling(null);
      setNotice({ text: errorText(t, err), kind: 'error' });
    }
  };

  const vendorName = (id: string | null) => vendors?.find((v) => v.id === id)?.name ?? '';
  const storesLabel = (p: PortalPromotion) => (p.vendors.includes('*') ? t('promo.allStores') : p.vendors.map((ref) => vendors?.find((v) => v.code === ref || v.external_id === ref)?.name ?? ref).join(', '));
  const columns: Array<Column<PortalPromotion>> = [
    { key: 'name', header: t('promos.name'), rowHeader: true, render: (p) => nameOf(p, place.locale) },
    { key: 'state', header: t('promos.state'), render: (p) => <span className={`badge state-${p.state.toLowerCase()}`}>{t(`promos.state.${p.state}` as MessageKey)}</span> },
    { key: 'type', header: t('promos.type'), render: (p) => typeLabel(t, p) },
    { key: 'stores', header: t('product.stores'), render: (p) => storesLabel(p) },
    {
      key: 'skus',
      header: t('promos.skus'),
      className: 'chips-cell',
      render: (p) => (
        <span className="chips" title={p.sku_vendor_id ? t('promo.skusAt', { store: vendorName(p.sku_vendor_id) }) : undefined}>
          {p.skus.slice(0, 6).map((s) => (
            <span key={s.sku} className="chip">
              {s.sku} {discountLabel(t, s, place)}
            </span>
          ))}
          {p.skus_total > 6 && <span className="muted">{t('promos.more', { n: p.skus_total - 6 })}</span>}
        </span>
      ),
    },
    { key: 'source', header: t('promos.source'), render: (p) => sourceLabel(t, p.source) },
    { key: 'schedule', header: t('promos.schedule'), render: (p) => `${formatDateTime(p.conditions.start_time, place)} – ${formatDateTime(p.conditions.end_time, place)}` },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (p) => (
        <span className="actions-row">
          <button type="button" className="small" onClick={() => void openEdit(p)} aria-label={t('promo.editName', { name: nameOf(p, place.locale) })}>
            {t('webhooks.edit')}
          </button>
          <button type="button" className={p.active ? 'small danger' : 'small'} onClick={() => setToggling(p)} aria-label={t(p.active ? 'promo.switchOffName' : 'promo.switchOnName', { name: nameOf(p, place.locale) })}>
            {p.active ? t('promo.switchOff') : t('promo.switchOn')}
          </button>
        </span>
      ),
    },
  ];
  const total = list.data?.pagination.total_count ?? 0;
  return (
    <>
      <PageHeader
        title={t('promos.title')}
        intro={t('promos.intro')}
        actions={
          <>
            <button type="button" className="primary" onClick={() => setEditing('new')} disabled={!vendors?.length}>
              {t('promo.new')}
            </button>
            <button type="button" onClick={() => void list.reload()}>
              {t('common.refresh')}
            </button>
          </>
        }
      />
      <FilterBar onApply={() => update({ sku: skuTerm.trim(), page: null })}>
        <SelectField label={t('promos.state')} value={state} onChange={(v) => update({ state: v, page: null })} all={t('common.all')} options={STATES.map((s) => ({ value: s, label: t(`promo.filter.${s}`) }))} />
        <SelectField label={t('orders.store')} value={store} onChange={(v) => update({ store: v, page: null })} all={t('common.all')} options={(vendors ?? []).map((v) => ({ value: v.id, label: v.name }))} />
        <TextField label="SKU" type="search" value={skuTerm} onChange={(v) => setFields({ skuTerm: v })} maxLength={100} />
      </FilterBar>
      <Notice message={notice?.text ?? null} kind={notice?.kind} />
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      <DataTable
        columns={columns}
        rows={list.data?.promotions ?? null}
        rowKey={(p) => p.promotion_id}
        rowProps={(p) => ({ 'data-promotion': p.promotion_id, 'data-state': p.state })}
        label={t('promos.title')}
        testId="promotions-table"
        empty={t('promos.empty')}
        pager={list.data && total > 0 ? <Pager {...pageNumberPager(page, PROMOTIONS_PAGE, list.data.promotions.length, total, (p) => update({ page: p }), 'promotions-pager')} /> : undefined}
      />
      {editing && vendors && <PromotionDialog promotion={editing === 'new' ? null : editing} vendors={vendors} onClose={() => setEditing(null)} onQueued={queued} />}
      <ConfirmDialog
        open={toggling !== null}
        title={toggling ? t(toggling.active ? 'promo.switchOffTitle' : 'promo.switchOnTitle', { name: nameOf(toggling, place.locale) }) : ''}
        body={toggling?.active ? t('promo.switchOffBody') : t('promo.switchOnBody')}
        confirmLabel={toggling?.active ? t('promo.switchOff') : t('promo.switchOn')}
        onConfirm={() => toggling && void toggle(toggling)}
        onCancel={() => setToggling(null)}
      />
    </>
  );
}
