import type { WebhookAttempt } from '../api';
import { useChain } from '../chain';
import { DataTable } from './DataTable';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

/** The attempts of one delivery (order detail and delivery log). */
export function AttemptsTable({ attempts }: { attempts: WebhookAttempt[] }) {
  const { t } = useI18n();
  const { place } = useChain();
  if (attempts.length === 0) return <p className="muted">{t('deliveries.noAttempts')}</p>;
  return (
    <DataTable
      columns={[
        { key: 'attempt', header: '#', render: (a) => a.attempt },
        { key: 'at', header: t('deliveries.at'), className: 'nowrap', render: (a) => formatDateTime(a.started_at, place) },
        { key: 'outcome', header: t('deliveries.outcome'), render: (a) => a.outcome },
        { key: 'http', header: 'HTTP', render: (a) => a.status_code ?? t('common.none') },
        { key: 'ms', header: 'ms', render: (a) => a.duration_ms },
        { key: 'error', header: t('deliveries.error'), className: 'details', render: (a) => a.error ?? a.response_body ?? '' },
      ]}
      rows={attempts}
      rowKey={(a) => a.attempt + a.started_at}
      label={t('deliveries.attempts')}
      className="compact"
      narrow="scroll"
    />
  );
}
