import { useId, useState, type FormEvent } from 'react';
import { FieldError } from '../../components/ui';
import { formatMoney, type Place } from '../../format';
import { parseAmount, parsePercent, parseWholeNumber, withPercent } from '../../forms';
import { useI18n } from '../../i18n';
import type { Listing, ListingPatch } from './catalog-types';

type PriceMode = '' | 'set' | 'percent';
type MaxMode = '' | 'set' | 'clear';

/**
 * Bulk edit of the selected listings: active, price (a new price, or a change in percent from each
 * one's current price, previewed) and the per-order maximum (a new value, or explicitly removed).
 * Nothing is sent while a field holds something that is not a valid value.
 */
export function BulkEditForm({ selected, place, onSubmit }: { selected: Listing[]; place: Place; onSubmit: (rows: ListingPatch[]) => void }) {
  const { t } = useI18n();
  const [active, setActive] = useState('');
  const [priceMode, setPriceMode] = useState<PriceMode>('');
  const [priceText, setPriceText] = useState('');
  const [maxMode, setMaxMode] = useState<MaxMode>('');
  const [maxText, setMaxText] = useState('');
  const [tried, setTried] = useState(false);
  const ids = { active: useId(), price: useId(), priceValue: useId(), priceErr: useId(), max: useId(), maxValue: useId(), maxErr: useId() };

  const amount = priceMode === 'set' ? parseAmount(priceText) : null;
  const percent = priceMode === 'percent' ? parsePercent(priceText) : null;
  const priceError = priceMode === 'set' && amount === null ? t('edit.invalidPrice') : priceMode === 'percent' && percent === null ? t('edit.invalidPercent') : null;
  const maxValue = maxMode === 'set' ? parseWholeNumber(maxText) : null;
  const maxError = maxMode === 'set' && maxValue === null ? t('edit.invalidMax') : null;
  const nothing = !active && !priceMode && !maxMode;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (nothing || priceError || maxError) return;
    onSubmit(
      selected.map((l) => {
        const row: ListingPatch = { sku: l.sku };
        if (active) row.active = active === 'on';
        if (amount !== null) row.price = amount;
        if (percent !== null) row.price = withPercent(l.price, percent);
        if (maxValue !== null) row.maximum_sales_quantity = maxValue;
        if (maxMode === 'clear') row.clear = ['maximum_sales_quantity'];
        return row;
      }),
    );
  };
  const preview = percent !== null ? selected.slice(0, 3).map((l) => `${l.sku}: ${formatMoney(l.price, place)} → ${formatMoney(withPercent(l.price, percent), place)}`) : [];
  const showPrice = tried && priceError;
  const showMax = tried && maxError;
  return (
    <form className="panel inline-form" onSubmit={submit} aria-label={t('catalog.bulk')} data-testid="bulk-form" noValidate>
      <strong>{t('catalog.selected', { n: selected.length })}</strong>
      <div className="field">
        <label htmlFor={ids.active}>{t('catalog.active')}</label>
        <select id={ids.active} value={active} onChange={(e) => setActive(e.target.value)}>
          <option value="">{t('catalog.unchanged')}</option>
          <option value="on">{t('catalog.activate')}</option>
          <option value="off">{t('catalog.deactivate')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.price}>{t('catalog.price')}</label>
        <select id={ids.price} value={priceMode} onChange={(e) => setPriceMode(e.target.value as PriceMode)}>
          <option value="">{t('catalog.unchanged')}</option>
          <option value="set">{t('edit.priceSet')}</option>
          <option value="percent">{t('edit.pricePercent')}</option>
        </select>
      </div>
      {priceMode && (
        <div className="field">
          <label htmlFor={ids.priceValue}>{priceMode === 'set' ? t('edit.newPrice') : t('edit.percent')}</label>
          <input id={ids.priceValue} inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} size={10} aria-invalid={showPrice ? true : undefined} aria-describedby={showPrice ? ids.priceErr : undefined} autoComplete="off" />
          <FieldError id={ids.priceErr} message={showPrice ? priceError : null} />
          {preview.length > 0 && <small data-testid="price-preview">{preview.join(' · ')}{selected.length > 3 ? ' …' : ''}</small>}
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.max}>{t('catalog.maxQty')}</label>
        <select id={ids.max} value={maxMode} onChange={(e) => setMaxMode(e.target.value as MaxMode)}>
          <option value="">{t('catalog.unchanged')}</option>
          <option value="set">{t('edit.maxSet')}</option>
          <option value="clear">{t('edit.maxClear')}</option>
        </select>
      </div>
      {maxMode === 'set' && (
        <div className="field">
          <label htmlFor={ids.maxValue}>{t('edit.units')}</label>
          <input id={ids.maxValue} inputMode="numeric" value={maxText} onChange={(e) => setMaxText(e.target.value)} size={8} aria-invalid={showMax ? true : undefined} aria-describedby={showMax ? ids.maxErr : undefined} autoComplete="off" />
          <FieldError id={ids.maxErr} message={showMax ? maxError : null} />
        </div>
      )}
      <div className="field">
        <span aria-hidden="true">&nbsp;</span>
        <button type="submit" className="primary" disabled={nothing}>
          {t('catalog.applySelected')}
        </button>
      </div>
    </form>
  );
}
