import { useId, useState, type FormEvent } from 'react';
import { DialogButtons } from '../../components/fields';
import { FieldError, Modal } from '../../components/ui';
import { parseAmount, parseWholeNumber } from '../../forms';
import { useI18n } from '../../i18n';
import type { Listing, ListingPatch } from './catalog-types';

/**
 * Edit one listing. Every field is read strictly: a value that is not a valid price or a whole number
 * stops the form with a message under that field. Removing the per-order cap is its own checkbox;
 * an empty or mistyped maximum never removes it.
 */
export function EditListingDialog({ listing, onClose, onSave }: { listing: Listing; onClose: () => void; onSave: (p: ListingPatch) => void }) {
  const { t } = useI18n();
  const [price, setPrice] = useState(String(listing.price));
  const [active, setActive] = useState(listing.active);
  const [max, setMax] = useState(listing.maximum_sales_quantity === null ? '' : String(listing.maximum_sales_quantity));
  const [noMax, setNoMax] = useState(listing.maximum_sales_quantity === null);
  const [tried, setTried] = useState(false);
  const ids = { price: useId(), priceErr: useId(), active: useId(), max: useId(), maxErr: useId(), noMax: useId() };
  const priceValue = parseAmount(price);
  const maxValue = noMax ? null : parseWholeNumber(max);
  const priceError = priceValue === null ? t('edit.invalidPrice') : null;
  const maxError = !noMax && maxValue === null ? t('edit.invalidMax') : null;
  const save = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (priceError || maxError) return;
    const patch: ListingPatch = { sku: listing.sku };
    if (priceValue !== listing.price) patch.price = priceValue!;
    if (active !== listing.active) patch.active = active;
    if (noMax && listing.maximum_sales_quantity !== null) patch.clear = ['maximum_sales_quantity'];
    if (!noMax && maxValue !== listing.maximum_sales_quantity) patch.maximum_sales_quantity = maxValue!;
    if (Object.keys(patch).length === 1) return onClose();
    onSave(patch);
  };
  const showPrice = tried && priceError;
  const showMax = tried && maxError;
  return (
    <Modal open title={t('catalog.editSku', { sku: listing.sku })} onClose={onClose}>
      <form onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor={ids.price}>{t('catalog.price')}</label>
          <input id={ids.price} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-invalid={showPrice ? true : undefined} aria-describedby={showPrice ? ids.priceErr : undefined} autoComplete="off" />
          <FieldError id={ids.priceErr} message={showPrice ? priceError : null} />
        </div>
        <div className="field">
          <label className="check" htmlFor={ids.active}>
            <input id={ids.active} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('catalog.active')}
          </label>
        </div>
        <div className="field">
          <label htmlFor={ids.max}>{t('catalog.maxQty')}</label>
          <input id={ids.max} inputMode="numeric" value={noMax ? '' : max} disabled={noMax} onChange={(e) => setMax(e.target.value)} aria-invalid={showMax ? true : undefined} aria-describedby={showMax ? ids.maxErr : undefined} autoComplete="off" />
          <FieldError id={ids.maxErr} message={showMax ? maxError : null} />
          <label className="check" htmlFor={ids.noMax}>
            <input id={ids.noMax} type="checkbox" checked={noMax} onChange={(e) => setNoMax(e.target.checked)} /> {t('edit.removeMax')}
          </label>
        </div>
        <DialogButtons onCancel={onClose} submit={t('common.save')} />
      </form>
    </Modal>
  );
}
