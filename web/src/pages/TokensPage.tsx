import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, type ApiToken } from '../api';
import { useChain } from '../chain';
import { useActorNames } from '../components/actors';
import { DataTable, type Column } from '../components/DataTable';
import { RevokeConfirm, credentialColumns, useCredentialPage } from '../components/credentials';
import { useSubmit } from '../components/submit';
import { FormError } from '../components/fields';
import { ErrorBox, Notice, PageHeader, SecretOnceDialog, useLoad } from '../components/ui';
import { useI18n } from '../i18n';

interface TokenList {
  tokens: ApiToken[];
  max_active: number;
}

/** Shops Integrations → API tokens: create (secret shown once), list, revoke; at most 11 active. */
export function TokensPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const [showRevoked, setShowRevoked] = useState(false);
  const { changes, notice, setNotice, revoking, setRevoking, created, revoked } = useCredentialPage<ApiToken>();
  const list = useLoad(() => api<TokenList>('GET', `/chains/${chain.id}/tokens?include_revoked=true`), [chain.id, changes]);
  const actorName = useActorNames(chain.id, changes);
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState<'live' | 'test'>('live');
  const [secret, setSecret] = useState<string | null>(null);
  const ids = { name: useId(), env: useId(), limit: useId(), hint: useId() };

  const tokens = list.data?.tokens ?? [];
  const max = list.data?.max_active ?? 11;
  const active = tokens.filter((tk) => tk.status === 'active').length;
  const atLimit = active >= max;
  const shown = showRevoked ? tokens : tokens.filter((tk) => tk.status === 'active');

  const submit = useSubmit((err) => (err instanceof ApiError && err.code === 'TOKEN_LIMIT_REACHED' ? t('tokens.limitReached', { max }) : null));
  const create = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    void submit.run(async () => {
      const made = await api<{ token: ApiToken; secret: string }>('POST', `/chains/${chain.id}/tokens`, { name: name.trim(), environment });
      setSecret(made.secret);
      setName('');
      created(t('tokens.created', { name: made.token.name }));
    });
  };

  const columns: Array<Column<ApiToken>> = [
    { key: 'name', header: t('common.name'), render: (tk) => tk.name },
    {
      key: 'token',
      header: t('tokens.token'),
      render: (tk) => (
        <code>
          {tk.display_prefix}…{tk.last4}
        </code>
      ),
    },
    { key: 'environment', header: t('tokens.environment'), render: (tk) => (tk.environment === 'live' ? t('tokens.env.live') : t('tokens.env.test')) },
    ...credentialColumns<ApiToken>(t, place, actorName, {
      status: (tk) => tk.status,
      revoke: (tk) => setRevoking(tk),
    }),
  ];

  return (
    <>
      <PageHeader title={t('tokens.title')} intro={t('tokens.intro')} />
      <section className="panel" aria-labelledby={`${ids.name}-h`}>
        <h2 id={`${ids.name}-h`}>{t('tokens.newTitle')}</h2>
        <p id={ids.limit} className={atLimit ? 'warning' : 'muted'} data-testid="token-limit">
          {atLimit ? t('tokens.limitReached', { max }) : t('tokens.limit', { max })} <strong>{t('tokens.count', { active, max })}</strong>
        </p>
        <form className="inline-form" onSubmit={create}>
          <div className="field">
            <label htmlFor={ids.name}>{t('tokens.name')}</label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} aria-describedby={ids.hint} disabled={atLimit} />
            <small id={ids.hint}>{t('tokens.nameHint')}</small>
          </div>
          <div className="field">
            <label htmlFor={ids.env}>{t('tokens.environment')}</label>
            <select id={ids.env} value={environment} onChange={(e) => setEnvironment(e.target.value as 'live' | 'test')} disabled={atLimit}>
              <option value="live">{t('tokens.env.live')}</option>
              <option value="test">{t('tokens.env.test')}</option>
            </select>
          </div>
          <button type="submit" className="primary" disabled={submit.busy || atLimit || !name.trim() || !list.data} aria-describedby={ids.limit}>
            {submit.busy ? t('tokens.creating') : t('tokens.create')}
          </button>
        </form>
        <FormError message={submit.error} />
      </section>

      <Notice message={notice} />
      <ErrorBox error={list.error} />

      <div className="table-toolbar">
        <label className="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> {t('tokens.showRevoked')}
        </label>
        <span className="muted">{t('common.timesIn', { zone: place.timeZone })}</span>
      </div>
      <DataTable columns={columns} rows={list.data ? shown : null} rowKey={(tk) => tk.id} rowProps={(tk) => ({ 'data-token-id': tk.id })} label={t('tokens.title')} testId="tokens-table" />

      <SecretOnceDialog open={secret !== null} fields={secret ? [{ label: t('tokens.token'), value: secret }] : []} onDone={() => setSecret(null)} />
      <RevokeConfirm
        target={revoking}
        path={`/chains/${chain.id}/tokens/${revoking?.id ?? ''}`}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        body={t('tokens.revokeBody')}
        revoked={t('tokens.revoked', { name: revoking?.name ?? '' })}
        onDone={revoked}
        onCancel={() => setRevoking(null)}
      />
    </>
  );
}
