import { useId, useState, type FormEvent } from 'react';
import { api, type WebhookEndpoint } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { ConfirmDialog, ErrorBox, Modal, Notice, PageHeader, SecretOnceDialog, errorText, useLoad } from '../components/ui';
import { FormError, DialogButtons } from '../components/fields';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { chainPath } from '../paths';
import { Link } from '../router';
import { DEFAULT_EVENTS, JOB_EVENTS, ORDER_EVENTS, PELICAN_EVENTS } from '../webhook-events';

/** Checkboxes for the event filter (at least one): only events the platform really sends. */
function EventPicker({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useI18n();
  const toggle = (e: string, on: boolean) => onChange(on ? [...value, e] : value.filter((x) => x !== e));
  const box = (e: string) => (
    <label key={e} className="check">
      <input type="checkbox" checked={value.includes(e)} onChange={(ev) => toggle(e, ev.target.checked)} /> <code>{e}</code>
    </label>
  );
  return (
    <fieldset className="event-picker" data-testid="event-picker">
      <legend>{t('webhooks.events')}</legend>
      <div className="event-group">
        <span className="muted">{t('webhooks.orderEvents')}</span>
        {ORDER_EVENTS.map(box)}
      </div>
      <div className="event-group">
        <span className="muted">{t('webhooks.jobEvents')}</span>
        {JOB_EVENTS.map(box)}
      </div>
      <small className="muted">{t('webhooks.eventsHint', { events: PELICAN_EVENTS.join(', ') })}</small>
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
  const columns: Array<Column<WebhookEndpoint>> = [
    {
      key: 'url',
      header: t('webhooks.url'),
      rowHeader: true,
      className: 'url-cell',
      render: (ep) => (
        <>
          <code>{ep.url}</code>
          {ep.description && <div className="muted">{ep.description}</div>}
        </>
      ),
    },
    {
      key: 'secrets',
      header: t('webhooks.secrets'),
      render: (ep) => (
        <span className="stack">
          <code title={t('webhooks.authorization')}>
            {ep.authorization.header}: …{ep.authorization.last4}
          </code>
          <code title={t('webhooks.signing')}>{ep.signing_secret_prefix}…</code>
          {ep.previous_secret_expires_at && <span className="muted">{t('webhooks.previousUntil', { at: formatDateTime(ep.previous_secret_expires_at, place) })}</span>}
        </span>
      ),
    },
    {
      key: 'events',
      header: t('webhooks.events'),
      className: 'chips-cell',
      render: (ep) => (
        <span className="chips" data-testid="endpoint-events">
          {ep.events.map((e) => (
            <span key={e} className="chip">
              {e}
            </span>
          ))}
        </span>
      ),
    },
    {
      key: 'status',
      header: t('common.status'),
      render: (ep) => (
        <span>
          <span className={`badge ${ep.enabled ? 'active' : 'revoked'}`}>{ep.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
          {!ep.enabled && ep.disabled_reason && <div className="muted">{t(`webhooks.reason.${ep.disabled_reason}`)}</div>}
          <div className="muted">{t('webhooks.createdAt', { at: formatDateTime(ep.created_at, place) })}</div>
        </span>
      ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions wide-actions',
      render: (ep) => (
        <span className="actions-row">
          <button type="button" className="small" disabled={busy || !ep.enabled} onClick={() => run(async () => {
            await api('POST', `${base}/${ep.id}/test`);
            setNotice(t('webhooks.testSent'));
          })}>
            {t('webhooks.sendTest')}
          </button>
          <button type="button" className="small" disabled={busy} onClick={() => run(async () => {
            await api('PATCH', `${base}/${ep.id}`, { enabled: !ep.enabled });
          })}>
            {ep.enabled ? t('webhooks.disable') : t('webhooks.enable')}
          </button>
          <button type="button" className="small" disabled={busy} onClick={() => run(async () => {
            const r = await api<{ signing_secret: string }>('POST', `${base}/${ep.id}/rotate-secret`);
            setSecret(r.signing_secret);
            setNotice(t('webhooks.rotated'));
          })}>
            {t('webhooks.rotate')}
          </button>
          <button type="button" className="small" onClick={() => setEditing(ep)}>
            {t('webhooks.edit')}
          </button>
          <button type="button" className="danger small" onClick={() => setDeleting(ep)}>
            {t('webhooks.delete')}
          </button>
        </span>
      ),
    },
  ];
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
        <FormError message={formError} />
      </section>

      <Notice message={notice} />
      <ErrorBox error={list.error} />
      <DataTable columns={columns} rows={list.data ? endpoints : null} rowKey={(ep) => ep.id} rowProps={(ep) => ({ 'data-endpoint-id': ep.id })} label={t('webhooks.title')} testId="webhooks-table" />

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
        <FormError message={error} />
        <DialogButtons onCancel={onClose} disabled={events.length === 0} submit={t('common.save')} />
      </form>
    </Modal>
  );
}
