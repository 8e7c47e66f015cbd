import { api } from '../api';
import { useChain } from '../chain';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime, formatMoney } from '../format';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';

interface PromotionItem {
  vendor_id: string;
  sku: string;
  subtype: string;
  value: number;
}

interface PortalPromotion {
  promotion_id: string;
  type: string;
  state: 'INACTIVE' | 'SCHEDULED' | 'RUNNING' | 'ENDED';
  display_name: Record<string, string>;
  source: string;
  conditions: { start_time: string; end_time: string; purchased_quantity: number | null; discounted_quantity: number | null };
  items: PromotionItem[];
  items_total: number;
}

/** Operations → the chain's promotions (active, scheduled, past) with source, SKUs and discounts. */
export function PromotionsPage() {
  const { t } = useI18n();
  const { chain, place, vendors } = useChain();
  const list = useLoad(() => api<{ promotions: PortalPromotion[] }>('GET', `/chains/${chain.id}/promotions?page_size=100`), [chain.id]);
  const promotions = list.data?.promotions ?? [];
  const vendorName = (id: string) => vendors?.find((v) => v.id === id)?.name ?? id;
  const discount = (i: PromotionItem) => {
    if (i.subtype === 'PERCENTAGE') return `-${i.value}%`;
    if (i.subtype === 'FINAL_PRICE') return formatMoney(i.value, place);
    if (i.subtype === 'ABSOLUTE') return `-${formatMoney(i.value, place)}`;
    return i.subtype;
  };
  const name = (p: PortalPromotion) => Object.values(p.display_name)[0] ?? p.promotion_id;
  return (
    <>
      <PageHeader title={t('promos.title')} intro={t('promos.intro')} actions={<button type="button" onClick={() => void list.reload()}>{t('common.refresh')}</button>} />
      <ErrorBox error={list.error} />
      <div className="table-wrap">
        <table aria-label={t('promos.title')} data-testid="promotions-table">
          <thead>
            <tr>
              <th scope="col">{t('promos.name')}</th>
              <th scope="col">{t('promos.state')}</th>
              <th scope="col">{t('promos.type')}</th>
              <th scope="col">{t('promos.source')}</th>
              <th scope="col">{t('promos.skus')}</th>
              <th scope="col">{t('promos.schedule')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data && promotions.length === 0 && (
              <tr>
                <td colSpan={6}>{t('promos.empty')}</td>
              </tr>
            )}
            {promotions.map((p) => (
              <tr key={p.promotion_id} data-promotion={p.promotion_id}>
                <td>{name(p)}</td>
                <td>{t(`promos.state.${p.state}` as MessageKey)}</td>
                <td>
                  {p.type}
                  {p.conditions.purchased_quantity ? ` ${p.conditions.purchased_quantity}×${p.conditions.discounted_quantity ?? ''}` : ''}
                </td>
                <td>{p.source}</td>
                <td>
                  <ul className="plain">
                    {p.items.map((i) => (
                      <li key={`${i.vendor_id}:${i.sku}`}>
                        {i.sku} · {discount(i)} · <span className="muted">{vendorName(i.vendor_id)}</span>
                      </li>
                    ))}
                    {p.items_total > p.items.length && <li className="muted">{t('promos.more', { n: p.items_total - p.items.length })}</li>}
                  </ul>
                </td>
                <td>
                  {formatDateTime(p.conditions.start_time, place)} – {formatDateTime(p.conditions.end_time, place)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
