import { useId, useState, type FormEvent } from 'react';
import { api, type WebhookEndpoint } from '../api';
import { useChain } from '../chain';
import { ConfirmDialog, ErrorBox, Modal, Notice, PageHeader, SecretOnceDialog, errorText, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { chainPath } from '../nav';
import { Link } from '../router';

export const ORDER_EVENTS = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'UPDATE_CART'];
export const JOB_EVENTS = ['CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'];
const DEFAULT_EVENTS = ['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'CANCELLED', ...JOB_EVENTS];

/** Checkboxes for the event filter (at least one). */
function EventPicker({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useI18n();
  const toggle = (e: string, on: boolean) => onChange(on ? [...value, e] : value.filter((x) => x !== e));
  return (
    <fieldset className="event-picker">
      <legend>{t('webhooks.events')}</legend>
      {[...ORDER_EVENTS, ...JOB_EVENTS].map((e) => (
        <label key={e} className="check">
          <input type="checkbox" checked={value.includes(e)} onChange={(ev) => toggle(e, ev.target.checked)} /> <code>{e}</code>
        </label>
      ))}
    </fieldset>
  );
}

/** Shops Integrations → Webhooks: endpoints (create, edit, enable/disable, rotate, test, delete). */
export function WebhooksPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const [changes, setChanges] = useState(0);
  const list = useLoad(() => api<{ endpoints: WebhookEndpoint[] }>('GET', `/chains/${chain.id}/webhooks`), [chain.id, changes]);
  const [url, setUrl] = useState('');
  const [auth, setAuth] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(DEFAULT_EVENTS);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const ids = { url: useId(), auth: useId(), desc: useId(), h: useId() };
  const base = `/chains/${chain.id}/webhooks`;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setNotice(null);
    try {
      await fn();
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      const created = await api<{ endpoint: WebhookEndpoint; signing_secret: string }>('POST', base, { url: url.trim(), authorization: auth, events, description: description.trim() });
      setSecret(created.signing_secret);
      setNotice(t('webhooks.created', { url: created.endpoint.url }));
      setUrl('');
      setAuth('');
      setDescription('');
      setChanges((n) => n + 1);
    } catch (err) {
      setFormError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const endpoints = list.data?.endpoints ?? [];
  return (
    <>
      <PageHeader title={t('webhooks.title')} intro={t('webhooks.intro')} actions={<Link href={chainPath(chain.id, 'integrations/deliveries')}>{t('nav.deliveries')}</Link>} />
      <section className="panel" aria-labelledby={ids.h}>
        <h2 id={ids.h}>{t('webhooks.newTitle')}</h2>
        <form onSubmit={create}>
          <div className="inline-form">
            <div className="field grow">
              <label htmlFor={ids.url}>{t('webhooks.url')}</label>
              <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2048} placeholder="https://" />
            </div>
            <div className="field">
              <label htmlFor={ids.auth}>{t('webhooks.authorization')}</label>
              <input id={ids.auth} type="password" autoComplete="off" value={auth} onChange={(e) => setAuth(e.target.value)} required maxLength={1024} />
              <small>{t('webhooks.authorizationHint')}</small>
            </div>
            <div className="field">
              <label htmlFor={ids.desc}>{t('webhooks.description')}</label>
              <input id={ids.desc} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
            </div>
          </div>
          <EventPicker value={events} onChange={setEvents} />
          <button type="submit" className="primary" disabled={busy || !url.trim() || !auth || events.length === 0}>
            {t('webhooks.create')}
          </button>
        </form>
        {formError && (
          <div className="notice error" role="alert">
            {formError}
          </div>
        )}
      </section>

      <Notice message={notice} />
      <ErrorBox error={list.error} />
      <div className="table-wrap">
        <table aria-label={t('webhooks.title')} data-testid="webhooks-table">
          <thead>
            <tr>
              <th scope="col">{t('webhooks.url')}</th>
              <th scope="col">{t('webhooks.authorization')}</th>
              <th scope="col">{t('webhooks.signing')}</th>
              <th scope="col">{t('webhooks.events')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('common.created')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {endpoints.length === 0 && (
              <tr>
                <td colSpan={7}>{list.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {endpoints.map((ep) => (
              <tr key={ep.id} data-endpoint-id={ep.id}>
                <td>
                  <code>{ep.url}</code>
                  {ep.description && <div className="muted">{ep.description}</div>}
                </td>
                <td>
                  <code>
                    {ep.authorization.header}: …{ep.authorization.last4}
                  </code>
                </td>
                <td>
                  <code>{ep.signing_secret_prefix}…</code>
                  {ep.previous_secret_expires_at && <div className="muted">{t('webhooks.previousUntil', { at: formatDateTime(ep.previous_secret_expires_at, place) })}</div>}
                </td>
                <td className="details">{ep.events.join(', ')}</td>
                <td>
                  <span className={`badge ${ep.enabled ? 'active' : 'revoked'}`}>{ep.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
                  {!ep.enabled && ep.disabled_reason && <div className="muted">{t(`webhooks.reason.${ep.disabled_reason}`)}</div>}
                </td>
                <td className="nowrap">{formatDateTime(ep.created_at, place)}</td>
                <td className="actions">
                  <button type="button" className="small" disabled={busy || !ep.enabled} onClick={() => run(async () => {
                    await api('POST', `${base}/${ep.id}/test`);
                    setNotice(t('webhooks.testSent'));
                  })}>
                    {t('webhooks.sendTest')}
                  </button>{' '}
                  <button type="button" className="small" disabled={busy} onClick={() => run(async () => {
                    await api('PATCH', `${base}/${ep.id}`, { enabled: !ep.enabled });
                  })}>
                    {ep.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                  </button>{' '}
                  <button type="button" className="small" disabled={busy} onClick={() => run(async () => {
                    const r = await api<{ signing_secret: string }>('POST', `${base}/${ep.id}/rotate-secret`);
                    setSecret(r.signing_secret);
                    setNotice(t('webhooks.rotated'));
                  })}>
                    {t('webhooks.rotate')}
                  </button>{' '}
                  <button type="button" className="small" onClick={() => setEditing(ep)}>
                    {t('webhooks.edit')}
                  </button>{' '}
                  <button type="button" className="danger small" onClick={() => setDeleting(ep)}>
                    {t('webhooks.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <SecretOnceDialog open={secret !== null} fields={secret ? [{ label: t('webhooks.signing'), value: secret }] : []} onDone={() => setSecret(null)} />
      {editing && <EditEndpoint endpoint={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); setChanges((n) => n + 1); setNotice(t('webhooks.saved')); }} />}
      <ConfirmDialog
        open={deleting !== null}
        title={t('webhooks.deleteTitle')}
        body={deleting?.url ?? ''}
        confirmLabel={t('webhooks.delete')}
        busy={busy}
        onConfirm={() => run(async () => {
          await api('DELETE', `${base}/${deleting!.id}`);
          setDeleting(null);
        })}
        onCancel={() => setDeleting(null)}
      />
    </>
  );
}

function EditEndpoint({ endpoint, onClose, onSaved }: { endpoint: WebhookEndpoint; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const [url, setUrl] = useState(endpoint.url);
  const [auth, setAuth] = useState('');
  const [events, setEvents] = useState(endpoint.events);
  const [error, setError] = useState<string | null>(null);
  const ids = { url: useId(), auth: useId() };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('PATCH', `/chains/${chain.id}/webhooks/${endpoint.id}`, { url: url.trim(), events, ...(auth ? { authorization: auth } : {}) });
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <Modal open title={t('webhooks.edit')} onClose={onClose}>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor={ids.url}>{t('webhooks.url')}</label>
          <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={ids.auth}>{t('webhooks.newAuthorization')}</label>
          <input id={ids.auth} type="password" autoComplete="off" value={auth} onChange={(e) => setAuth(e.target.value)} />
        </div>
        <EventPicker value={events} onChange={setEvents} />
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={events.length === 0}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
