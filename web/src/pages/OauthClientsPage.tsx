import { useId, useState, type FormEvent } from 'react';
import { api, type OauthClient } from '../api';
import { useChain } from '../chain';
import { useActorNames } from '../components/actors';
import { ConfirmDialog, ErrorBox, Notice, PageHeader, SecretOnceDialog, StatusBadge, errorText, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

/** Shops Integrations → OAuth clients for the client-credentials grant. */
export function OauthClientsPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const [changes, setChanges] = useState(0);
  const list = useLoad(() => api<{ clients: OauthClient[] }>('GET', `/chains/${chain.id}/oauth-clients`), [chain.id, changes]);
  const actorName = useActorNames(chain.id, changes);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [created, setCreated] = useState<{ clientId: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<OauthClient | null>(null);
  const nameId = useId();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    setNotice(null);
    try {
      const res = await api<{ client: OauthClient; client_secret: string }>('POST', `/chains/${chain.id}/oauth-clients`, { name: name.trim() });
      setCreated({ clientId: res.client.client_id, secret: res.client_secret });
      setNotice(t('oauth.created', { name: res.client.name }));
      setName('');
      setChanges((n) => n + 1);
    } catch (err) {
      setFormError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await api('DELETE', `/chains/${chain.id}/oauth-clients/${revoking.id}`);
      setNotice(t('oauth.revoked', { name: revoking.name }));
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  const clients = list.data?.clients ?? [];
  return (
    <>
      <PageHeader title={t('oauth.title')} intro={t('oauth.intro')} />
      <section className="panel">
        <form className="inline-form" onSubmit={create}>
          <div className="field">
            <label htmlFor={nameId}>{t('oauth.name')}</label>
            <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </div>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {t('oauth.create')}
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
      <div className="table-toolbar">
        <span className="muted">{t('common.timesIn', { zone: place.timeZone })}</span>
      </div>
      <div className="table-wrap">
        <table aria-label={t('oauth.title')} data-testid="oauth-table">
          <thead>
            <tr>
              <th scope="col">{t('common.name')}</th>
              <th scope="col">{t('oauth.clientId')}</th>
              <th scope="col">{t('oauth.secret')}</th>
              <th scope="col">{t('common.created')}</th>
              <th scope="col">{t('common.createdBy')}</th>
              <th scope="col">{t('common.lastUsed')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.length === 0 && (
              <tr>
                <td colSpan={8}>{list.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {clients.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>
                  <code>{c.client_id}</code>
                </td>
                <td>
                  <code>••••{c.secret_last4}</code>
                </td>
                <td>{formatDateTime(c.created_at, place)}</td>
                <td>{actorName(c.created_by)}</td>
                <td>{c.last_used_at ? formatDateTime(c.last_used_at, place) : t('common.never')}</td>
                <td>
                  <StatusBadge status={c.revoked_at ? 'revoked' : 'active'} />
                </td>
                <td className="actions">
                  {!c.revoked_at && (
                    <button type="button" className="danger small" onClick={() => setRevoking(c)} aria-label={`${t('common.revoke')}: ${c.name}`}>
                      {t('common.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SecretOnceDialog
        open={created !== null}
        fields={
          created
            ? [
                { label: t('oauth.clientId'), value: created.clientId },
                { label: t('oauth.secret'), value: created.secret },
              ]
            : []
        }
        onDone={() => setCreated(null)}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={t('oauth.revokeTitle', { name: revoking?.name ?? '' })}
        body={t('oauth.revokeBody')}
        confirmLabel={t('common.revoke')}
        busy={busy}
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      />
    </>
  );
}
