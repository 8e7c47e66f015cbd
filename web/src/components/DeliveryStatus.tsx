import { useI18n } from '../i18n';

type DeliveryState = { status: string; attempts: number; next_attempt_at?: string | null };

/**
 * Pending after a failed attempt, its next try scheduled later (backoff). A replayed delivery is due now
 * (and keeps its earlier attempts in the count), so it is not "retrying".
 */
export const isRetrying = (d: DeliveryState) => d.status === 'pending' && d.attempts > 0 && !!d.next_attempt_at && Date.parse(d.next_attempt_at) > Date.now();

/** What "resend" may act on: finished deliveries and those waiting for a retry (not one being sent or due now). */
export const canResend = (d: DeliveryState) => d.status === 'succeeded' || d.status === 'dead' || d.status === 'cancelled' || isRetrying(d);

export function DeliveryStatus({ status, attempts = 0, nextAttemptAt = null }: { status: string; attempts?: number; nextAttemptAt?: string | null }) {
  const { t } = useI18n();
  if (isRetrying({ status, attempts, next_attempt_at: nextAttemptAt })) return <span className="badge warn">{t('deliveries.retrying')}</span>;
  const cls = status === 'succeeded' ? 'active' : status === 'dead' ? 'revoked' : '';
  return <span className={`badge ${cls}`}>{t(`deliveries.status.${status}` as 'deliveries.status.pending')}</span>;
}
