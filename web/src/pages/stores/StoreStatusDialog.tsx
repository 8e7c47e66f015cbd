import { useId, useState, type FormEvent } from 'react';
import { api, type Schema, type Vendor } from '../../api';
import { useChain } from '../../chain';
import { CloseButton, FormError } from '../../components/fields';
import { Modal, errorText } from '../../components/ui';
import { formatDateTime, zonedInputToIso } from '../../format';
import { useI18n } from '../../i18n';

export type StoreStatus = Schema<'StoreStatus'>;

export const CLOSED_REASONS = ['CLOSED', 'TOO_BUSY_NO_DRIVERS', 'TOO_BUSY_KITCHEN', 'UPDATES_IN_MENU', 'TECHNICAL_PROBLEM', 'BAD_WEATHER', 'HOLIDAY_SPECIAL_DAY', 'OTHER'];
const DAYS = [0, 1, 2, 3, 4, 5, 6];

/** The status cell: open/closed, why, until when, check-in. */
export function StoreStatusCell({ s, vendor }: { s: StoreStatus | undefined; vendor: Vendor }) {
  const { t } = useI18n();
  if (!s) return <>{t('common.none')}</>;
  const place = { locale: vendor.locale, timeZone: vendor.time_zone, currency: vendor.currency };
  return (
    <>
      <span className={`badge ${s.is_open ? 'active' : 'revoked'}`}>{s.is_open ? t('store.open') : t('store.closed')}</span>
      {!s.is_open && s.closed_because && <div className="muted">{t(`store.because.${s.closed_because}` as 'store.because.CLOSED_TODAY')}</div>}
      {s.closed_reason && <div className="muted">{t(`store.reason.${s.closed_reason}` as 'store.reason.CLOSED')}</div>}
      {s.closed_until && <div className="muted">{t('store.until', { at: formatDateTime(s.closed_until, place) })}</div>}
      {s.checkin.required && <div className="muted">{s.checkin.checked_in_at ? t('store.checkedIn', { at: formatDateTime(s.checkin.checked_in_at, place) }) : t('store.checkinRequired')}</div>}
    </>
  );
}

/** Change a store's status, opening hours and check-in. */
export function StoreStatusDialog({ vendor, status, onClose, onSaved }: { vendor: Vendor; status: StoreStatus; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [next, setNext] = useState<StoreStatus['status']>(status.status === 'CHECKIN' ? 'OPEN' : status.status);
  const [reason, setReason] = useState<string>(status.closed_reason ?? 'CLOSED');
  const [until, setUntil] = useState('');
  const [hours, setHours] = useState(status.opening_hours);
  const [checkin, setCheckin] = useState(status.checkin.required);
  const [error, setError] = useState<string | null>(null);
  const ids = { st: useId(), re: useId(), un: useId(), ci: useId() };
  const base = `/chains/${chain.id}/vendors/${vendor.id}`;
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const saveStatus = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, string | undefined> = { status: next };
    if (next === 'CLOSED_TODAY' || next === 'CLOSED_UNTIL') body.closed_reason = reason;
    if (next === 'CLOSED_UNTIL') body.closed_until = zonedInputToIso(until, vendor.time_zone);
    void run(() => api('PUT', `${base}/status`, body));
  };
  const saveHours = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api('PUT', `${base}/opening-hours`, { opening_hours: hours, checkin_required: checkin }));
  };
  const setSlot = (i: number, patch: Partial<StoreStatus['opening_hours'][number]>) => setHours((hs) => hs.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <Modal open title={t('store.manage', { name: vendor.name })} onClose={onClose}>
      <form onSubmit={saveStatus}>
        <h3>{t('store.statusTitle')}</h3>
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.st}>{t('common.status')}</label>
            <select id={ids.st} value={next} onChange={(e) => setNext(e.target.value as StoreStatus['status'])}>
              <option value="OPEN">{t('store.set.OPEN')}</option>
              <option value="CLOSED_TODAY">{t('store.set.CLOSED_TODAY')}</option>
              <option value="CLOSED_UNTIL">{t('store.set.CLOSED_UNTIL')}</option>
            </select>
          </div>
          {next !== 'OPEN' && (
            <div className="field">
              <label htmlFor={ids.re}>{t('store.reasonLabel')}</label>
              <select id={ids.re} value={reason} onChange={(e) => setReason(e.target.value)}>
                {CLOSED_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`store.reason.${r}` as 'store.reason.CLOSED')}
                  </option>
                ))}
              </select>
            </div>
          )}
          {next === 'CLOSED_UNTIL' && (
            <div className="field">
              <label htmlFor={ids.un}>{t('store.untilLabel', { zone: vendor.time_zone })}</label>
              <input id={ids.un} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} required />
            </div>
          )}
        </div>
        <button type="submit" className="primary">
          {t('store.saveStatus')}
        </button>{' '}
        {status.checkin.required && (
          <button type="button" onClick={() => void run(() => api('PUT', `${base}/status`, { status: 'CHECKIN' }))}>
            {t('store.checkin')}
          </button>
        )}
      </form>
      <form onSubmit={saveHours}>
        <h3>{t('store.hoursTitle', { zone: vendor.time_zone })}</h3>
        {hours.map((h, i) => (
          <div key={i} className="row-form" data-slot={i}>
            <select aria-label={t('store.day', { n: i + 1 })} value={h.day} onChange={(e) => setSlot(i, { day: Number(e.target.value) })}>
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {t(`store.dayName.${d}` as 'store.dayName.0')}
                </option>
              ))}
            </select>
            <input aria-label={t('store.opens', { n: i + 1 })} type="time" value={h.opens} onChange={(e) => setSlot(i, { opens: e.target.value })} required />
            <input aria-label={t('store.closes', { n: i + 1 })} type="time" value={h.closes} onChange={(e) => setSlot(i, { closes: e.target.value })} required />
            <button type="button" className="small" aria-label={t('store.removeSlot', { n: i + 1 })} onClick={() => setHours((hs) => hs.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
        ))}
        {hours.length === 0 && <p className="muted">{t('store.noHours')}</p>}
        <button type="button" className="small" onClick={() => setHours((hs) => [...hs, { day: 1, opens: '09:00', closes: '21:00' }])}>
          {t('store.addSlot')}
        </button>
        <div className="field">
          <label className="check" htmlFor={ids.ci}>
            <input id={ids.ci} type="checkbox" checked={checkin} onChange={(e) => setCheckin(e.target.checked)} /> {t('store.checkinSwitch')}
          </label>
        </div>
        <button type="submit" className="primary">
          {t('store.saveHours')}
        </button>
      </form>
      <FormError message={error} />
      <CloseButton onClose={onClose} />
    </Modal>
  );
}
