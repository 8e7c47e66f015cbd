import { api, qs, type ActorLabel, type AuditEntry } from '../api';
import { useChain } from '../chain';
import { useActorNames } from '../components/actors';
import { DataTable, type Column } from '../components/DataTable';
import { FilterBar, SelectField, TextField } from '../components/fields';
import { Pager } from '../components/Pager';
import { pageNumberPager, pageParam } from '../components/paging';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime, zonedInputToIso } from '../format';
import { hasMessage, useI18n } from '../i18n';
import { useQueryParams, useUrlFilters } from '../router';

export const AUDIT_PAGE = 50;

/** Families of actions the filter offers (an action of a family ends up in it: `catalog.update` ∈ `catalog.`). */
const ACTION_FAMILIES = [
  ['catalog.', 'audit.family.catalog'],
  ['promotion.', 'audit.family.promotion'],
  ['user.', 'audit.family.user'],
  ['token.', 'audit.family.token'],
  ['oauth_client.', 'audit.family.oauth_client'],
  ['webhook.', 'audit.family.webhook'],
  ['vendor.', 'audit.family.vendor'],
  ['store.', 'audit.family.store'],
  ['sftp_login.', 'audit.family.sftp_login'],
] as const;

function details(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** The day after a `date` input value ("2026-03-10" → "2026-03-11"), so "until" includes its whole day. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Shops Integrations → audit log (admins): who changed what, filtered by person, action and dates, paged. */
export function AuditPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const [params, update] = useQueryParams();
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const page = pageParam(params.get('page'));
  const [range, setRange] = useUrlFilters({ from, to });
  const fromIso = zonedInputToIso(from, place.timeZone);
  const toIso = to ? zonedInputToIso(nextDay(to), place.timeZone) : undefined;
  const list = useLoad(
    () => api<{ entries: AuditEntry[]; pagination: { total_count: number } }>('GET', `/chains/${chain.id}/audit${qs({ actor, action, from: fromIso, to: toIso, page, page_size: AUDIT_PAGE })}`),
    [chain.id, actor, action, fromIso, toIso, page],
  );
  const actors = useLoad(() => api<{ actors: ActorLabel[] }>('GET', `/chains/${chain.id}/actors`), [chain.id]);
  const actorName = useActorNames(chain.id);
  const columns: Array<Column<AuditEntry>> = [
    { key: 'when', header: t('audit.when'), className: 'nowrap', render: (e) => formatDateTime(e.created_at, place) },
    { key: 'actor', header: t('audit.actor'), render: (e) => actorName(e.actor) },
    {
      key: 'action',
      header: t('audit.action'),
      rowHeader: true,
      render: (e) => {
        const key = `action.${e.action}`;
        return <span data-action={e.action}>{hasMessage(key) ? t(key) : e.action}</span>;
      },
    },
    {
      key: 'target',
      header: t('audit.target'),
      render: (e) => {
        const key = `target.${e.target_type}`;
        return (
          <>
            {hasMessage(key) ? t(key) : e.target_type}
            {e.target_id && <code className="dim"> {e.target_id.slice(0, 12)}</code>}
          </>
        );
      },
    },
    { key: 'details', header: t('audit.details'), className: 'details', render: (e) => details(e.details) },
  ];
  const total = list.data?.pagination.total_count ?? 0;
  return (
    <>
      <PageHeader title={t('audit.title')} intro={t('audit.intro')} actions={<button type="button" onClick={() => void list.reload()}>{t('common.refresh')}</button>} />
      <FilterBar onApply={() => update({ from: range.from, to: range.to, page: null })}>
        <SelectField label={t('audit.actor')} value={actor} onChange={(v) => update({ actor: v, page: null })} all={t('common.all')} options={(actors.data?.actors ?? []).map((a) => ({ value: a.actor, label: `${actorName(a.actor)}${a.email ? ` (${a.email})` : ''}` }))} />
        <SelectField label={t('audit.action')} value={action} onChange={(v) => update({ action: v, page: null })} all={t('common.all')} options={ACTION_FAMILIES.map(([family, label]) => ({ value: family, label: t(label) }))} />
        <TextField label={t('common.since')} type="date" value={range.from} onChange={(v) => setRange({ from: v })} />
        <TextField label={t('common.until')} type="date" value={range.to} onChange={(v) => setRange({ to: v })} />
      </FilterBar>
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      <div className="table-toolbar">
        <span className="muted">{t('common.timesIn', { zone: place.timeZone })}</span>
      </div>
      <DataTable
        columns={columns}
        rows={list.data?.entries ?? null}
        rowKey={(e) => e.id}
        label={t('audit.title')}
        testId="audit-table"
        pager={list.data && total > 0 ? <Pager {...pageNumberPager(page, AUDIT_PAGE, list.data.entries.length, total, (p) => update({ page: p }), 'audit-pager')} /> : undefined}
      />
    </>
  );
}
