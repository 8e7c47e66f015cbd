import { useId, useState, type FormEvent } from 'react';
import { api, type Vendor } from '../../api';
import { useChain } from '../../chain';
import { FieldError, Modal } from '../../components/ui';
import { useSubmit } from '../../components/submit';
import { FormError, DialogButtons } from '../../components/fields';
import { useI18n } from '../../i18n';

/**
 * Upload a catalog (or promotions) CSV: it becomes an Assortment/ file processed by the same job as
 * an SFTP upload, so the rules, the per-row results and the results file are the same. With a store
 * chosen the file applies to it; otherwise its `vendors` column says where each row goes.
 */
export function UploadDialog({ vendors, defaultVendorId, onClose, onQueued }: { vendors: Vendor[]; defaultVendorId: string; onClose: () => void; onQueued: (jobId: string, fileName: string) => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [file, setFile] = useState<File | null>(null);
  const [vendorId, setVendorId] = useState(defaultVendorId);
  const [tried, setTried] = useState(false);
  const { busy, error: serverError, setError: setServerError, run } = useSubmit();
  const ids = { file: useId(), fileErr: useId(), store: useId() };
  const fileError = !file ? t('upload.noFile') : !/\.csv$/i.test(file.name) ? t('upload.notCsv') : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setServerError(null);
    if (fileError || !file) return;
    await run(async () => {
      const q = new URLSearchParams({ name: file.name.replace(/[^A-Za-z0-9 ._()+-]/g, '_').replace(/^[.-]+/, '') });
      if (vendorId) q.set('vendor_id', vendorId);
      // Sent as text/csv whatever the browser guessed (Windows calls .csv files application/vnd.ms-excel).
      const r = await api<{ job_id: string; file_name: string }>('POST', `/chains/${chain.id}/catalog/uploads?${q}`, new Blob([file], { type: 'text/csv' }));
      onQueued(r.job_id, r.file_name);
    });
  };
  return (
    <Modal open title={t('upload.title')} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="upload-form">
        <p className="intro">{t('upload.intro')}</p>
        <div className="field">
          <label htmlFor={ids.file}>{t('upload.file')}</label>
          <input id={ids.file} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-invalid={tried && fileError ? true : undefined} aria-describedby={tried && fileError ? ids.fileErr : undefined} />
          <FieldError id={ids.fileErr} message={tried ? fileError : null} />
        </div>
        <div className="field">
          <label htmlFor={ids.store}>{t('upload.appliesTo')}</label>
          <select id={ids.store} value={vendorId} onChange={(e) => setVendorId(e.target.value)}>
            {vendors.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.code})
              </option>
            ))}
            <option value="">{t('upload.byColumn')}</option>
          </select>
        </div>
        <FormError message={serverError} />
        <DialogButtons onCancel={onClose} busy={busy} submit={busy ? t('upload.sending') : t('upload.send')} />
      </form>
    </Modal>
  );
}
