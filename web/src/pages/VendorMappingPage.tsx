import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, type Vendor } from '../api';
import { useChain } from '../chain';
import { DataTable } from '../components/DataTable';
import { FieldError, Notice, PageHeader } from '../components/ui';
import { useSubmit } from '../components/submit';
import { useI18n } from '../i18n';

const EXTERNAL_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The external id of one store: the field and its save button, with the refusal under it. */
function MappingForm({ vendor, onSaved }: { vendor: Vendor; onSaved: (v: Vendor) => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [value, setValue] = useState(vendor.external_id ?? '');
  const { busy, error, setError, run } = useSubmit((err) => (err instanceof ApiError && err.code === 'EXTERNAL_ID_TAKEN' ? t('mapping.taken') : err instanceof ApiError && err.status === 400 ? t('mapping.invalid') : null));
  const inputId = useId();
  const errorId = useId();
  useEffect(() => setValue(vendor.external_id ?? ''), [vendor.external_id]);

  const trimmed = value.trim();
  const changed = trimmed !== (vendor.external_id ?? '');
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (trimmed && !EXTERNAL_ID.test(trimmed)) {
      setError(t('mapping.invalid'));
      return;
    }
    await run(async () => {
      const updated = await api<Vendor>('PUT', `/chains/${chain.id}/vendors/${encodeURIComponent(vendor.code)}/external-id`, { external_id: trimmed || null });
      onSaved(updated);
    });
  };

  return (
    <>
      <form className="row-form" onSubmit={save}>
        <label htmlFor={inputId} className="sr-only">
          {t('mapping.inputLabel', { name: vendor.name })}
        </label>
        <input
          id={inputId}
          className="mono"
          value={value}
          maxLength={64}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <button type="submit" disabled={busy || !changed}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </form>
      <FieldError id={errorId} message={error} />
    </>
  );
}

/** Shops Integrations → vendor identifier mapping (PUT …/vendors/:vendorRef/external-id). */
export function VendorMappingPage() {
  const { t } = useI18n();
  const { vendors, reloadVendors } = useChain();
  const [notice, setNotice] = useState<string | null>(null);
  const saved = (updated: Vendor) => {
    setNotice(t('mapping.saved', { name: updated.name }));
    void reloadVendors();
  };
  return (
    <>
      <PageHeader title={t('mapping.title')} intro={t('mapping.intro')} />
      <Notice message={notice} />
      <DataTable
        columns={[
          {
            key: 'name',
            header: t('stores.name'),
            rowHeader: true,
            render: (v) => (
              <>
                {v.name}
                {v.is_test && <span className="badge test">{t('stores.testBadge')}</span>}
              </>
            ),
          },
          { key: 'code', header: t('stores.code'), render: (v) => <code>{v.code}</code> },
          { key: 'integration', header: t('stores.integration'), render: (v) => t(`integration.${v.integration_type}`) },
          { key: 'externalId', header: t('stores.externalId'), render: (v) => <MappingForm vendor={v} onSaved={saved} /> },
        ]}
        rows={vendors}
        rowKey={(v) => v.id}
        rowProps={(v) => ({ 'data-vendor': v.code })}
        label={t('mapping.title')}
        testId="mapping-table"
      />
    </>
  );
}
