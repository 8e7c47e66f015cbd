import { useState, type ReactNode } from 'react';
import { api, type Vendor } from '../api';
import { useChain } from '../chain';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { StoreStatusCell, StoreStatusDialog, type StoreStatus } from './StoreStatusDialog';
import { useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../messages';

interface Column {
  key: string;
  label: MessageKey;
  render: (v: Vendor, t: Translate) => ReactNode;
  className?: string;
}

/**
 * The stores table, one entry per column. Store status (open / closed until…), opening hours and
 * check-in arrive with the orders module: they are added here as columns (and a detail panel).
 */
export const STORE_COLUMNS: Column[] = [
  {
    key: 'name',
    label: 'stores.name',
    render: (v, t) => (
      <>
        {v.name} {v.is_test && <span className="badge test">{t('stores.testBadge')}</span>}
      </>
    ),
  },
  { key: 'code', label: 'stores.code', render: (v) => <code>{v.code}</code>, className: 'nowrap' },
  { key: 'external_id', label: 'stores.externalId', render: (v, t) => (v.external_id ? <code>{v.external_id}</code> : t('common.none')), className: 'nowrap' },
  { key: 'integration', label: 'stores.integration', render: (v, t) => t(`integration.${v.integration_type}`) },
  { key: 'test', label: 'stores.test', render: (v, t) => (v.is_test ? t('common.yes') : t('common.no')) },
  { key: 'zone', label: 'stores.zone', render: (v) => v.time_zone },
  { key: 'currency', label: 'stores.currency', render: (v) => `${v.currency} · ${v.locale}`, className: 'nowrap' },
];

export function StoresPage() {
  const { t } = useI18n();
  const { chain, vendors } = useChain();
  const [changes, setChanges] = useState(0);
  const [managing, setManaging] = useState<Vendor | null>(null);
  const statuses = useLoad(() => api<{ statuses: Record<string, StoreStatus> }>('GET', `/chains/${chain.id}/store-status`), [chain.id, changes]);
  const statusOf = (v: Vendor) => statuses.data?.statuses[v.id];
  return (
    <>
      <PageHeader title={t('stores.title')} intro={t('stores.intro')} />
      <ErrorBox error={statuses.error} />
      {vendors === null ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : vendors.length === 0 ? (
        <p>{t('common.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="page-title" data-testid="stores-table">
            <thead>
              <tr>
                {STORE_COLUMNS.map((c) => (
                  <th key={c.key} scope="col">
                    {t(c.label)}
                  </th>
                ))}
                <th scope="col">{t('common.status')}</th>
                <th scope="col">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {vendors.map((v) => (
                <tr key={v.id} data-vendor={v.code}>
                  {STORE_COLUMNS.map((c) => (
                    <td key={c.key} className={c.className}>
                      {c.render(v, t)}
                    </td>
                  ))}
                  <td data-testid="store-status">
                    <StoreStatusCell s={statusOf(v)} vendor={v} />
                  </td>
                  <td className="actions">
                    <button type="button" className="small" disabled={!statusOf(v)} onClick={() => setManaging(v)} aria-label={t('store.manage', { name: v.name })}>
                      {t('store.manageShort')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {managing && statusOf(managing) && (
        <StoreStatusDialog
          vendor={managing}
          status={statusOf(managing)!}
          onClose={() => setManaging(null)}
          onSaved={() => {
            setChanges((n) => n + 1);
            setManaging(null);
          }}
        />
      )}
    </>
  );
}
