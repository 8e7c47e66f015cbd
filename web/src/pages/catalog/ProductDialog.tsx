import { useId, useState, type FormEvent } from 'react';
import { api, type Vendor } from '../../api';
import { useChain } from '../../chain';
import { DialogButtons, FormError, StoreChecklist, toggled } from '../../components/fields';
import { FieldError, Modal } from '../../components/ui';
import { useSubmit } from '../../components/submit';
import { parseAmount, parseSkuList, parseWholeNumber } from '../../forms';
import { useI18n } from '../../i18n';
import type { Category } from './catalog-types';

type Field = 'sku' | 'title' | 'price' | 'vat' | 'max' | 'stores' | 'barcode' | 'brand';

/**
 * Create a product (or update one with the same SKU) and list it on the chosen stores: the same
 * product creation job as POST /v2/chains/{chain}/catalog. Fields are checked here first; what the
 * server refuses comes back under the form in the UI language.
 */
export function ProductDialog({ vendors, categories, locale, onClose, onQueued }: { vendors: Vendor[]; categories: Category[]; locale: string; onClose: () => void; onQueued: (jobId: string) => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [form, setForm] = useState({ sku: '', title: '', price: '', barcode: '', category: '', brand: '', vat: '21', max: '', weight: false, active: true });
  const [stores, setStores] = useState<Set<string>>(new Set(vendors.map((v) => v.id)));
  const [tried, setTried] = useState(false);
  const { busy, error: serverError, setError: setServerError, run } = useSubmit();
  const id = useId();
  const set = (k: keyof typeof form, v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));

  const price = parseAmount(form.price);
  const vat = form.vat.trim() === '' ? null : Number(form.vat.replace(',', '.'));
  const max = form.max.trim() === '' ? null : parseWholeNumber(form.max);
  const barcodes = parseSkuList(form.barcode);
  const problems: Partial<Record<Field, string>> = {};
  if (!/^[\x21-\x7e]{1,64}$/.test(form.sku.trim())) problems.sku = t('product.invalidSku');
  if (!form.title.trim()) problems.title = t('product.invalidTitle');
  if (price === null) problems.price = t('edit.invalidPrice');
  if (vat === null || !Number.isFinite(vat) || vat < 0 || vat > 100) problems.vat = t('product.invalidVat');
  if (form.max.trim() !== '' && max === null) problems.max = t('edit.invalidMax');
  if (barcodes.some((b) => !/^[0-9A-Za-z-]{1,32}$/.test(b))) problems.barcode = t('product.invalidBarcode');
  if (stores.size === 0) problems.stores = t('product.noStores');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setServerError(null);
    if (Object.keys(problems).length) return;
    await run(async () => {
      const product: Record<string, unknown> = {
        sku: form.sku.trim(),
        title: { [locale]: form.title.trim() },
        price,
        vat_percent: vat,
        is_sold_by_weight: form.weight,
        active: form.active,
      };
      if (barcodes.length) product.barcode = barcodes;
      if (form.category.trim()) product.categories = [form.category.trim()];
      if (form.brand.trim()) product.brand = form.brand.trim();
      if (max !== null) product.maximum_sales_quantity = max;
      const r = await api<{ job_id: string }>('POST', `/chains/${chain.id}/catalog/products`, { vendor_ids: [...stores], product });
      onQueued(r.job_id);
    });
  };
  const err = (f: Field) => (tried ? problems[f] : undefined);
  const input = (f: Field, key: keyof typeof form, label: string, extra: { inputMode?: 'decimal' | 'numeric'; hint?: string; list?: string } = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        value={String(form[key])}
        onChange={(e) => set(key, e.target.value)}
        inputMode={extra.inputMode}
        list={extra.list}
        autoComplete="off"
        aria-invalid={err(f) ? true : undefined}
        aria-describedby={err(f) ? `${id}-${key}-err` : undefined}
      />
      {extra.hint && <small>{extra.hint}</small>}
      <FieldError id={`${id}-${key}-err`} message={err(f)} />
    </div>
  );
  return (
    <Modal open title={t('product.title')} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="product-form">
        <div className="form-grid">
          {input('sku', 'sku', 'SKU')}
          {input('title', 'title', t('product.name'))}
          {input('price', 'price', t('catalog.price'), { inputMode: 'decimal' })}
          {input('vat', 'vat', t('product.vat'), { inputMode: 'decimal' })}
          {input('barcode', 'barcode', t('product.barcodes'), { hint: t('product.barcodesHint') })}
          <div className="field">
            <label htmlFor={`${id}-category`}>{t('product.category')}</label>
            <input id={`${id}-category`} value={form.category} onChange={(e) => set('category', e.target.value)} list={`${id}-categories`} autoComplete="off" />
            <datalist id={`${id}-categories`}>
              {categories.map((c) => (
                <option key={c.id} value={c.path} />
              ))}
            </datalist>
            <small>{t('product.categoryHint')}</small>
          </div>
          {input('brand', 'brand', t('product.brand'))}
          {input('max', 'max', t('catalog.maxQty'), { inputMode: 'numeric', hint: t('product.maxHint') })}
        </div>
        <div className="field">
          <label className="check">
            <input type="checkbox" checked={form.weight} onChange={(e) => set('weight', e.target.checked)} /> {t('product.byWeight')}
          </label>
          <label className="check">
            <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} /> {t('catalog.active')}
          </label>
        </div>
        <fieldset className="lines" aria-describedby={err('stores') ? `${id}-stores-err` : undefined}>
          <legend>{t('product.stores')}</legend>
          <label className="check">
            <input type="checkbox" checked={stores.size === vendors.length} onChange={(e) => setStores(e.target.checked ? new Set(vendors.map((v) => v.id)) : new Set())} /> {t('product.allStores')}
          </label>
          <StoreChecklist vendors={vendors} isChecked={(v) => stores.has(v.id)} onToggle={(v, on) => setStores((s) => toggled(s, v.id, on))} />
          <FieldError id={`${id}-stores-err`} message={err('stores')} />
        </fieldset>
        <FormError message={serverError} />
        <DialogButtons onCancel={onClose} busy={busy} submit={busy ? t('common.saving') : t('product.create')} />
      </form>
    </Modal>
  );
}
