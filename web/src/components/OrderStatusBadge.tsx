import { useI18n } from '../i18n';

/** The order statuses, in their lifecycle order (the orders filter lists them so). */
export const ORDER_STATUSES = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED'];

export function OrderStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const cls = status === 'CANCELLED' ? 'revoked' : status === 'DELIVERED' || status === 'DISPATCHED' || status === 'READY_FOR_PICKUP' ? 'active' : 'role';
  return <span className={`badge ${cls}`}>{t(`orders.status.${status}` as 'orders.status.RECEIVED')}</span>;
}
