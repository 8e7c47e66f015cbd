import { api, ApiError, type Answer } from '../api';
import { useChain } from '../chain';
import { DataTable } from '../components/DataTable';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

type SftpLogin = Answer<'/chains/{chainId}/sftp/login'>;
type SftpFiles = Answer<'/chains/{chainId}/sftp/files'>;

/** Shops Integrations → SFTP: the chain's login details and the Assortment/ file history. */
export function SftpPage() {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const login = useLoad(async () => {
    try {
      return await api<SftpLogin>('GET', `/chains/${chain.id}/sftp/login`);
    } catch (e) {
      // No login yet is a normal state, not an error.
      if (e instanceof ApiError && e.code === 'SFTP_LOGIN_NOT_FOUND') return null;
      throw e;
    }
  }, [chain.id]);
  const files = useLoad(() => api<SftpFiles>('GET', `/chains/${chain.id}/sftp/files`), [chain.id]);
  const l = login.data;
  const rows = files.data?.files ?? [];
  const reload = () => {
    void login.reload();
    void files.reload();
  };
  return (
    <>
      <PageHeader title={t('sftp.title')} intro={t('sftp.intro')} actions={<button type="button" onClick={reload}>{t('common.refresh')}</button>} />
      <ErrorBox error={login.error} />
      <section aria-labelledby="sftp-login-h">
        <h2 id="sftp-login-h">{t('sftp.login')}</h2>
        {login.data === null && !login.error && <p data-testid="sftp-no-login">{t('sftp.noLogin')}</p>}
        {l && (
          <dl data-testid="sftp-login">
            <dt>{t('sftp.username')}</dt>
            <dd>
              <code>{l.username}</code>
              {l.disabled && <strong> · {t('sftp.disabled')}</strong>}
            </dd>
            <dt>{t('sftp.host')}</dt>
            <dd>
              <code>{l.host}</code>
            </dd>
            <dt>{t('sftp.port')}</dt>
            <dd>{l.port}</dd>
            <dt>{t('sftp.password')}</dt>
            <dd>{l.password_set ? t('sftp.yes') : t('sftp.no')}</dd>
            <dt>{t('sftp.keys')}</dt>
            <dd>
              {l.public_keys.length === 0
                ? t('sftp.noKeys')
                : l.public_keys.map((k) => (
                    <div key={k.fingerprint}>
                      <code>{k.type} {k.fingerprint}</code> {k.comment}
                    </div>
                  ))}
            </dd>
          </dl>
        )}
      </section>
      <section aria-labelledby="sftp-files-h">
        <h2 id="sftp-files-h">{t('sftp.files')}</h2>
        <ErrorBox error={files.error} />
        <DataTable
          columns={[
            { key: 'file', header: t('sftp.file'), render: (f) => <code>Assortment/{f.name}</code> },
            { key: 'uploaded', header: t('sftp.uploaded'), render: (f) => formatDateTime(f.uploaded_at, place) },
            { key: 'size', header: t('sftp.size'), render: (f) => f.size },
            { key: 'status', header: t('sftp.status'), render: (f) => f.job_status ?? t('sftp.pending') },
            { key: 'rows', header: t('sftp.rows'), render: (f) => `${f.processed_rows} (${f.error_rows})` },
            {
              key: 'result',
              header: t('sftp.result'),
              render: (f) =>
                f.result_file && (
                  <a href={`/portal/api/chains/${chain.id}/sftp/results/${encodeURIComponent(f.result_file)}`} download>
                    {t('sftp.download')}
                  </a>
                ),
            },
          ]}
          rows={files.data ? rows : null}
          rowKey={(f) => `${f.name}:${f.uploaded_at}`}
          label={t('sftp.files')}
          testId="sftp-files"
          empty={t('sftp.noFiles')}
        />
      </section>
    </>
  );
}
