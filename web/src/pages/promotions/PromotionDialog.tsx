import { useId, useState, type FormEvent } from 'react';
import { api, type Vendor } from '../../api';
import { useChain } from '../../chain';
import { DialogButtons, FormError, StoreChecklist, toggled } from '../../components/fields';
import { FieldError, Modal } from '../../components/ui';
import { useSubmit } from '../../components/submit';
import { zonedInputToIso } from '../../format';
import { isoToZonedInput, parseAmount, parseSkuList, parseWholeNumber } from '../../forms';
import { useI18n } from '../../i18n';
import { REASONS, SUBTYPES_OF, type PortalPromotion, type PromotionType, type Subtype } from './promotion-types';

interface Group {
  subtype: Subtype;
  value: string;
  /** discount[].max_quantity: discounted units of each SKU per order ('' = no cap). */
  maxQuantity: string;
  skus: string;
}

/** SKU entries as form groups (one per kind of discount, value and per-order cap, so an edit sends the cap back). */
function groupsOf(p: PortalPromotion): Group[] {
  const groups = new Map<string, Group>();
  for (const s of p.skus) {
    const key = `${s.subtype}:${s.value}:${s.max_quantity ?? ''}`;
    const g = groups.get(key) ?? { subtype: s.subtype as Subtype, value: s.subtype === 'FREE_ITEM' ? '' : String(s.value), maxQuantity: s.max_quantity === null ? '' : String(s.max_quantity), skus: '' };
    g.skus += `${g.skus ? '\n' : ''}${s.sku}`;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * Create or edit a promotion: the PUT /v2 …/promotion body, sent through the portal to the same
 * promotion job. Editing keeps the promotion's key (name, stores, start and end): those fields are
 * locked, and SKUs taken out of the list are removed from the promotion.
 */
export function PromotionDialog({ promotion, vendors, onClose, onQueued }: { promotion: PortalPromotion | null; vendors: Vendor[]; onClose: () => void; onQueued: (jobId: string, status: string) => void }) {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const editing = promotion !== null;
  const zone = place.timeZone;
  const [name, setName] = useState(promotion ? Object.values(promotion.display_name)[0] ?? '' : '');
  const [type, setType] = useState<PromotionType>(promotion?.type ?? 'STRIKETHROUGH');
  const [reason, setReason] = useState(promotion?.reason ?? 'COMPETITIVENESS');
  const [allStores, setAllStores] = useState(promotion ? promotion.vendors.includes('*') : true);
  const [stores, setStores] = useState<Set<string>>(new Set(promotion && !promotion.vendors.includes('*') ? promotion.vendors : []));
  const [start, setStart] = useState(promotion ? isoToZonedInput(promotion.conditions.start_time, zone) : '');
  const [end, setEnd] = useState(promotion ? isoToZonedInput(promotion.conditions.end_time, zone) : '');
  const [buy, setBuy] = useState(promotion?.conditions.purchased_quantity ? String(promotion.conditions.purchased_quantity) : '3');
  const [off, setOff] = useState(promotion?.conditions.discounted_quantity ? String(promotion.conditions.discounted_quantity) : '1');
  const [globalLimit, setGlobalLimit] = useState(promotion?.limits.global_limit ? String(promotion.limits.global_limit) : '');
  const [perOrder, setPerOrder] = useState(promotion?.limits.max_items_per_order ? String(promotion.limits.max_items_per_order) : '');
  const [groups, setGroups] = useState<Group[]>(promotion ? groupsOf(promotion) : [{ subtype: 'PERCENTAGE', value: '', maxQuantity: '', skus: '' }]);
  const [tried, setTried] = useState(false);
  const { busy, error: serverError, setError: setServerError, run } = useSubmit();
  const id = useId();

  const startIso = zonedInputToIso(start, zone);
  const endIso = zonedInputToIso(end, zone);
  const bundle = type === 'SAME_ITEM_BUNDLE';
  const buyN = parseWholeNumber(buy, 2, 1000);
  const offN = parseWholeNumber(off, 1, 1000);
  const problems: Record<string, string> = {};
  if (!name.trim()) problems.name = t('promo.form.noName');
  if (!allStores && stores.size === 0) problems.stores = t('product.noStores');
  if (!startIso) problems.start = t('promo.form.noDate');
  if (!endIso) problems.end = t('promo.form.noDate');
  else if (startIso && endIso <= startIso) problems.end = t('promo.form.endBeforeStart');
  if (bundle && buyN === null) problems.buy = t('promo.form.invalidBuy');
  if (bundle && (offN === null || (buyN !== null && offN >= buyN))) problems.off = t('promo.form.invalidOff');
  if (globalLimit.trim() && parseWholeNumber(globalLimit) === null) problems.globalLimit = t('edit.invalidMax');
  if (perOrder.trim() && parseWholeNumber(perOrder) === null) problems.perOrder = t('edit.invalidMax');
  groups.forEach((g, i) => {
    if (!SUBTYPES_OF[type].includes(g.subtype)) problems[`subtype${i}`] = t('promo.form.subtypeNotForType');
    if (g.subtype === 'PERCENTAGE') {
      const v = Number(g.value.replace(',', '.'));
      if (!/^\d{1,3}([.,]\d{1,2})?$/.test(g.value.trim()) || v <= 0 || v > 100) problems[`value${i}`] = t('promo.form.invalidPercent');
    } else if (g.subtype !== 'FREE_ITEM' && parseAmount(g.value) === null) problems[`value${i}`] = t('edit.invalidPrice');
    if (g.maxQuantity.trim() && parseWholeNumber(g.maxQuantity) === null) problems[`maxQuantity${i}`] = t('edit.invalidMax');
    if (parseSkuList(g.skus).length === 0) problems[`skus${i}`] = t('promo.form.noSkus');
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setServerError(null);
    if (Object.keys(problems).length) return;
    const discount: Array<Record<string, unknown>> = groups.map((g) => ({
      discount_subtype: g.subtype,
      ...(g.subtype === 'FREE_ITEM' ? {} : { discount_value: g.subtype === 'PERCENTAGE' ? Number(g.value.replace(',', '.')) : parseAmount(g.value) }),
      ...(g.maxQuantity.trim() ? { max_quantity: parseWholeNumber(g.maxQuantity)! } : {}),
      sku: parseSkuList(g.skus),
    }));
    if (promotion) {
      const kept = new Set(discount.flatMap((d) => d.sku as string[]));
      const removed = promotion.skus.map((s) => s.sku).filter((s) => !kept.has(s));
      if (removed.length) discount.push({ discount_subtype: SUBTYPES_OF[type][0], active: false, sku: removed });
    }
    const limits: Record<string, number> = {};
    if (globalLimit.trim()) limits.global_limit = parseWholeNumber(globalLimit)!;
    if (perOrder.trim()) limits.max_items_per_order = parseWholeNumber(perOrder)!;
    // Not edited here: an edit keeps the saving cap the promotion was created with (PUT /v2 replaces limits).
    if (promotion?.limits.max_discount_per_order != null) limits.max_discount_per_order = promotion.limits.max_discount_per_order;
    const body = {
      vendors: promotion ? promotion.vendors : allStores ? ['*'] : [...stores],
      type,
      ...(promotion ? { active: promotion.active } : {}),
      reason,
      display_name: promotion ? promotion.display_name : { [place.locale]: name.trim() },
      conditions: {
        start_time: promotion ? promotion.conditions.start_time : startIso,
        end_time: promotion ? promotion.conditions.end_time : endIso,
        ...(bundle ? { purchased_quantity: buyN, discounted_quantity: offN } : {}),
      },
      ...(Object.keys(limits).length ? { limits } : {}),
      discount,
    };
    await run(async () => {
      const r = await api<{ job_id: string; job_status: string }>('PUT', `/chains/${chain.id}/promotion`, body);
      onQueued(r.job_id, r.job_status);
    });
  };
  const err = (k: string) => (tried ? problems[k] : undefined);
  const aria = (k: string) => (err(k) ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${k}-err` } : {});
  const setGroup = (i: number, patch: Partial<Group>) => setGroups((gs) => gs.map((g, j) => (j === i ? { ...g, ...patch } : g)));

  return (
    <Modal open title={editing ? t('promo.form.editTitle', { name }) : t('promo.form.newTitle')} onClose={onClose}>
      <form onSubmit={submit} noValidate data-testid="promotion-form">
        {editing && <p className="muted">{t('promo.form.keyLocked')}</p>}
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('promos.name')}</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} disabled={editing} maxLength={200} {...aria('name')} />
            <FieldError id={`${id}-name-err`} message={err('name')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>{t('promos.type')}</label>
            <select
              id={`${id}-type`}
              value={type}
              onChange={(e) => {
                const next = e.target.value as PromotionType;
                setType(next);
                setGroups((gs) => gs.map((g) => (SUBTYPES_OF[next].includes(g.subtype) ? g : { ...g, subtype: SUBTYPES_OF[next][0]! })));
              }}
            >
              <option value="STRIKETHROUGH">{t('promo.type.STRIKETHROUGH')}</option>
              <option value="SAME_ITEM_BUNDLE">{t('promo.type.SAME_ITEM_BUNDLE')}</option>
            </select>
          </div>
          {bundle && (
            <>
              <div className="field">
                <label htmlFor={`${id}-buy`}>{t('promo.form.buy')}</label>
                <input id={`${id}-buy`} inputMode="numeric" value={buy} onChange={(e) => setBuy(e.target.value)} {...aria('buy')} />
                <FieldError id={`${id}-buy-err`} message={err('buy')} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-off`}>{t('promo.form.off')}</label>
                <input id={`${id}-off`} inputMode="numeric" value={off} onChange={(e) => setOff(e.target.value)} {...aria('off')} />
                <FieldError id={`${id}-off-err`} message={err('off')} />
              </div>
            </>
          )}
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('promo.form.reason')}</label>
            <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`promo.reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-start`}>{t('promo.form.start')}</label>
            <input id={`${id}-start`} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} disabled={editing} {...aria('start')} />
            <FieldError id={`${id}-start-err`} message={err('start')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-end`}>{t('promo.form.end')}</label>
            <input id={`${id}-end`} type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} disabled={editing} {...aria('end')} />
            <FieldError id={`${id}-end-err`} message={err('end')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-gl`}>{t('promo.form.globalLimit')}</label>
            <input id={`${id}-gl`} inputMode="numeric" value={globalLimit} onChange={(e) => setGlobalLimit(e.target.value)} {...aria('globalLimit')} />
            <FieldError id={`${id}-globalLimit-err`} message={err('globalLimit')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-po`}>{t('promo.form.perOrder')}</label>
            <input id={`${id}-po`} inputMode="numeric" value={perOrder} onChange={(e) => setPerOrder(e.target.value)} {...aria('perOrder')} />
            <FieldError id={`${id}-perOrder-err`} message={err('perOrder')} />
          </div>
        </div>
        <p className="muted">{t('common.timesIn', { zone })}</p>
        <fieldset className="lines" disabled={editing}>
          <legend>{t('product.stores')}</legend>
          <label className="check">
            <input type="checkbox" checked={allStores} onChange={(e) => setAllStores(e.target.checked)} /> {t('promo.form.allStores')}
          </label>
          {!allStores && (
            <StoreChecklist vendors={vendors} isChecked={(v) => stores.has(v.code) || (v.external_id !== null && stores.has(v.external_id))} onToggle={(v, on) => setStores((s) => toggled(s, v.code, on))} />
          )}
          <FieldError id={`${id}-stores-err`} message={err('stores')} />
        </fieldset>
        {groups.map((g, i) => (
          <fieldset className="lines" key={i} data-testid="discount-group">
            <legend>{t('promo.form.discount', { n: i + 1 })}</legend>
            <div className="form-grid">
              <div className="field">
                <label htmlFor={`${id}-st${i}`}>{t('promo.form.subtype')}</label>
                <select id={`${id}-st${i}`} value={g.subtype} onChange={(e) => setGroup(i, { subtype: e.target.value as Subtype })} {...aria(`subtype${i}`)}>
                  {SUBTYPES_OF[type].map((s) => (
                    <option key={s} value={s}>
                      {t(`promo.subtype.${s}`)}
                    </option>
                  ))}
                </select>
                <FieldError id={`${id}-subtype${i}-err`} message={err(`subtype${i}`)} />
              </div>
              {g.subtype !== 'FREE_ITEM' && (
                <div className="field">
                  <label htmlFor={`${id}-v${i}`}>{g.subtype === 'PERCENTAGE' ? t('edit.percent') : t('promo.form.amount')}</label>
                  <input id={`${id}-v${i}`} inputMode="decimal" value={g.value} onChange={(e) => setGroup(i, { value: e.target.value })} {...aria(`value${i}`)} />
                  <FieldError id={`${id}-value${i}-err`} message={err(`value${i}`)} />
                </div>
              )}
              <div className="field">
                <label htmlFor={`${id}-mq${i}`}>{t('promo.form.maxQuantity')}</label>
                <input id={`${id}-mq${i}`} inputMode="numeric" value={g.maxQuantity} onChange={(e) => setGroup(i, { maxQuantity: e.target.value })} {...aria(`maxQuantity${i}`)} />
                <FieldError id={`${id}-maxQuantity${i}-err`} message={err(`maxQuantity${i}`)} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`${id}-s${i}`}>{t('promo.form.skus')}</label>
              <textarea id={`${id}-s${i}`} rows={3} value={g.skus} onChange={(e) => setGroup(i, { skus: e.target.value })} {...aria(`skus${i}`)} />
              <small>{t('promo.form.skusHint')}</small>
              <FieldError id={`${id}-skus${i}-err`} message={err(`skus${i}`)} />
            </div>
            {groups.length > 1 && (
              <button type="button" className="small" onClick={() => setGroups((gs) => gs.filter((_, j) => j !== i))}>
                {t('promo.form.removeGroup')}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" className="small" onClick={() => setGroups((gs) => [...gs, { subtype: SUBTYPES_OF[type][0]!, value: '', maxQuantity: '', skus: '' }])}>
          {t('promo.form.addGroup')}
        </button>
        <FormError message={serverError} />
        <DialogButtons onCancel={onClose} busy={busy} submit={busy ? t('common.saving') : editing ? t('common.save') : t('promo.form.create')} />
      </form>
    </Modal>
  );
}
