import { useId, useState, type FormEvent } from 'react';
import { api, type OauthClient } from '../api';
import { useChain } from '../chain';
import { useActorNames } from '../components/actors';
import { DataTable, type Column } from '../components/DataTable';
import { RevokeConfirm, credentialColumns, useCredentialPage } from '../components/credentials';
import { useSubmit } from '../components/submit';
import { FormError } from '../components/fields';
import { ErrorBox, Notice, PageHeader, SecretOnceDialog, useLoad } from '../components/ui';
import { useI18n } from '../i18n';

/** Shops Integrations → OAuth clients for the client-credentials grant. */
export function OauthClientsPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const { changes, notice, setNotice, revoking, setRevoking, created: createdNotice, revoked } = useCredentialPage<OauthClient>();
  const list = useLoad(() => api<{ clients: OauthClient[] }>('GET', `/chains/${chain.id}/oauth-clients`), [chain.id, changes]);
  const actorName = useActorNames(chain.id, changes);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ clientId: string; secret: string } | null>(null);
  const nameId = useId();

  const submit = useSubmit();
  const create = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    void submit.run(async () => {
      const res = await api<{ client: OauthClient; client_secret: string }>('POST', `/chains/${chain.id}/oauth-clients`, { name: name.trim() });
      setCreated({ clientId: res.client.client_id, secret: res.client_secret });
      setName('');
      createdNotice(t('oauth.created', { name: res.client.name }));
    });
  };

  const clients = list.data?.clients ?? [];
  const columns: Array<Column<OauthClient>> = [
    { key: 'name', header: t('common.name'), render: (c) => c.name },
    { key: 'client', header: t('oauth.clientId'), render: (c) => <code>{c.client_id}</code> },
    { key: 'secret', header: t('oauth.secret'), render: (c) => <code>••••{c.secret_last4}</code> },
    ...credentialColumns<OauthClient>(t, place, actorName, {
      status: (c) => (c.revoked_at ? 'revoked' : 'active'),
      revoke: (c) => setRevoking(c),
    }),
  ];
  return (
    <>
      <PageHeader title={t('oauth.title')} intro={t('oauth.intro')} />
      <section className="panel">
        <form className="inline-form" onSubmit={create}>
          <div className="field">
            <label htmlFor={nameId}>{t('oauth.name')}</label>
            <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </div>
          <button type="submit" className="primary" disabled={submit.busy || !name.trim()}>
            {t('oauth.create')}
          </button>
        </form>
        <FormError message={submit.error} />
      </section>
      <Notice message={notice} />
      <ErrorBox error={list.error} />
      <div className="table-toolbar">
        <span className="muted">{t('common.timesIn', { zone: place.timeZone })}</span>
      </div>
      <DataTable columns={columns} rows={list.data ? clients : null} rowKey={(c) => c.id} label={t('oauth.title')} testId="oauth-table" />
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
      <RevokeConfirm
        target={revoking}
        path={`/chains/${chain.id}/oauth-clients/${revoking?.id ?? ''}`}
        title={t('oauth.revokeTitle', { name: revoking?.name ?? '' })}
        body={t('oauth.revokeBody')}
        revoked={t('oauth.revoked', { name: revoking?.name ?? '' })}
        onDone={revoked}
        onCancel={() => setRevoking(null)}
      />
    </>
  );
}
