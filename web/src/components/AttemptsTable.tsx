import type { WebhookAttempt } from '../api';
import { useChain } from '../chain';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

/** The attempts of one delivery (order detail and delivery log). */
export function AttemptsTable({ attempts }: { attempts: WebhookAttempt[] }) {
  const { t } = useI18n();
  const { place } = useChain();
  if (attempts.length === 0) return <p className="muted">{t('deliveries.noAttempts')}</p>;
  return (
    <table className="compact" aria-label={t('deliveries.attempts')}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t('deliveries.at')}</th>
          <th scope="col">{t('deliveries.outcome')}</th>
          <th scope="col">HTTP</th>
          <th scope="col">ms</th>
          <th scope="col">{t('deliveries.error')}</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.attempt + a.started_at}>
            <td>{a.attempt}</td>
            <td className="nowrap">{formatDateTime(a.started_at, place)}</td>
            <td>{a.outcome}</td>
            <td>{a.status_code ?? t('common.none')}</td>
            <td>{a.duration_ms}</td>
            <td className="details">{a.error ?? a.response_body ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
