import { api, type AuditEntry } from '../api';
import { useChain } from '../chain';
import { useActorNames } from '../components/actors';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { hasMessage, useI18n } from '../i18n';

function details(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** Shops Integrations → audit log of configuration changes (newest first). */
export function AuditPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const list = useLoad(() => api<{ entries: AuditEntry[] }>('GET', `/chains/${chain.id}/audit`), [chain.id]);
  const actorName = useActorNames(chain.id);
  const entries = list.data?.entries ?? [];
  return (
    <>
      <PageHeader title={t('audit.title')} intro={t('audit.intro')} actions={<button type="button" onClick={() => void list.reload()}>{t('common.refresh')}</button>} />
      <ErrorBox error={list.error} />
      <div className="table-toolbar">
        <span className="muted">{t('common.timesIn', { zone: place.timeZone })}</span>
      </div>
      <div className="table-wrap">
        <table aria-label={t('audit.title')} data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.target')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colSpan={5}>{list.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {entries.map((e) => {
              const key = `action.${e.action}`;
              const target = `target.${e.target_type}`;
              return (
                <tr key={e.id}>
                  <td className="nowrap">{formatDateTime(e.created_at, place)}</td>
                  <td>{actorName(e.actor)}</td>
                  <td data-action={e.action}>{hasMessage(key) ? t(key) : e.action}</td>
                  <td>
                    {hasMessage(target) ? t(target) : e.target_type}
                    {e.target_id && <code className="dim"> {e.target_id.slice(0, 8)}</code>}
                  </td>
                  <td className="details">{details(e.details)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
