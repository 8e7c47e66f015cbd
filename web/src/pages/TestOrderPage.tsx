import { useId, useState, type FormEvent } from 'react';
import { api, qs } from '../api';
import { useChain } from '../chain';
import { FormError, SelectField, storeOptions } from '../components/fields';
import { PageHeader, useLoad } from '../components/ui';
import { useSubmit } from '../components/submit';
import { useI18n } from '../i18n';
import { chainPath } from '../paths';
import { Link } from '../router';

interface Line {
  sku: string;
  mode: 'unit' | 'kg';
  amount: string;
}
interface Listing {
  sku: string;
  title: Record<string, string>;
  is_sold_by_weight: boolean;
  active: boolean;
}

/** Shops Integrations → Test Order: place a sandbox order on a test store, then open it live. */
export function TestOrderPage() {
  const { t } = useI18n();
  const { chain, vendors } = useChain();
  const testStores = (vendors ?? []).filter((v) => v.is_test);
  const [vendorId, setVendorId] = useState('');
  const store = testStores.find((v) => v.id === vendorId) ?? testStores[0];
  const [lines, setLines] = useState<Line[]>([{ sku: '', mode: 'unit', amount: '1' }]);
  const [transport, setTransport] = useState('LOGISTICS_DELIVERY');
  const [orderType, setOrderType] = useState('DELIVERY');
  const { busy, error, run } = useSubmit();
  const [placed, setPlaced] = useState<{ order_id: string; order_code: string } | null>(null);
  const ids = { transport: useId(), type: useId(), list: useId() };
  const catalog = useLoad(
    () => (store ? api<{ products: Listing[] }>('GET', `/chains/${chain.id}/vendors/${store.id}/catalog${qs({ is_active: 'true', page_size: 200 })}`) : Promise.resolve({ products: [] })),
    [chain.id, store?.id],
  );
  const listings = catalog.data?.products ?? [];

  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!store) return;
    setPlaced(null);
    await run(async () => {
      const items = lines
        .filter((l) => l.sku.trim())
        .map((l) => (l.mode === 'kg' ? { sku: l.sku.trim(), weight: Number(l.amount) } : { sku: l.sku.trim(), quantity: Number(l.amount) }));
      const order = await api<{ order_id: string; order_code: string }>('POST', `/chains/${chain.id}/test-orders`, {
        vendor_id: store.code,
        transport_type: transport,
        order_type: orderType,
        ...(items.length ? { items } : {}),
      });
      setPlaced(order);
    });
  };

  if (vendors && testStores.length === 0) {
    return (
      <>
        <PageHeader title={t('testOrder.title')} intro={t('testOrder.intro')} />
        <p className="warning">{t('testOrder.noTestStores')}</p>
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('testOrder.title')} intro={t('testOrder.intro')} />
      <form className="panel" onSubmit={submit}>
        <div className="inline-form">
          <SelectField label={t('testOrder.store')} value={store?.id ?? ''} onChange={setVendorId} options={storeOptions(testStores)} />
          <div className="field">
            <label htmlFor={ids.transport}>{t('orders.delivery')}</label>
            <select id={ids.transport} value={transport} onChange={(e) => setTransport(e.target.value)}>
              <option value="LOGISTICS_DELIVERY">{t('orders.transport.LOGISTICS_DELIVERY')}</option>
              <option value="VENDOR_DELIVERY">{t('orders.transport.VENDOR_DELIVERY')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.type}>{t('testOrder.orderType')}</label>
            <select id={ids.type} value={orderType} onChange={(e) => setOrderType(e.target.value)}>
              <option value="DELIVERY">{t('testOrder.type.DELIVERY')}</option>
              <option value="PICKUP">{t('testOrder.type.PICKUP')}</option>
            </select>
          </div>
        </div>
        <fieldset className="lines">
          <legend>{t('testOrder.items')}</legend>
          <p className="muted">{t('testOrder.itemsHint')}</p>
          <datalist id={ids.list}>
            {listings.map((p) => (
              <option key={p.sku} value={p.sku}>
                {Object.values(p.title)[0] ?? p.sku}
              </option>
            ))}
          </datalist>
          {lines.map((l, i) => (
            <div key={i} className="row-form" data-line={i}>
              <input aria-label={t('testOrder.sku', { n: i + 1 })} list={ids.list} value={l.sku} onChange={(e) => setLine(i, { sku: e.target.value, mode: listings.find((p) => p.sku === e.target.value)?.is_sold_by_weight ? 'kg' : l.mode })} maxLength={100} />
              <select aria-label={t('testOrder.mode', { n: i + 1 })} value={l.mode} onChange={(e) => setLine(i, { mode: e.target.value as Line['mode'] })}>
                <option value="unit">{t('testOrder.units')}</option>
                <option value="kg">{t('testOrder.kg')}</option>
              </select>
              <input aria-label={t('testOrder.amount', { n: i + 1 })} type="number" min={l.mode === 'kg' ? 0.001 : 1} step={l.mode === 'kg' ? 0.001 : 1} value={l.amount} onChange={(e) => setLine(i, { amount: e.target.value })} />
              <button type="button" className="small" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} aria-label={t('testOrder.removeLine', { n: i + 1 })}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" className="small" onClick={() => setLines((ls) => [...ls, { sku: '', mode: 'unit', amount: '1' }])}>
            {t('testOrder.addLine')}
          </button>
        </fieldset>
        <button type="submit" className="primary" disabled={busy || !store}>
          {t('testOrder.trigger')}
        </button>
      </form>
      <FormError message={error} />
      {placed && (
        <div className="notice ok" role="status" data-testid="test-order-placed">
          {t('testOrder.placed', { code: placed.order_code })} <Link href={chainPath(chain.id, `orders/${placed.order_id}`)}>{t('testOrder.watch')}</Link>
        </div>
      )}
    </>
  );
}
