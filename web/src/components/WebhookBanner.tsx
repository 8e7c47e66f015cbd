import { useCallback, useEffect, useRef } from 'react';
import { api, type Answer } from '../api';
import { useChain } from '../chain';
import { useI18n } from '../i18n';
import { useLiveScope } from '../live';
import { chainPath } from '../paths';
import { Link } from '../router';
import { useLoad } from './ui';

/** How often the banner asks again without a change event (ms). */
const BANNER_POLL_MS = 30_000;
/** At most one reload per this many ms on delivery events (deliveries change many times a second). */
const BANNER_THROTTLE_MS = 3_000;

/** On every chain page while a webhook endpoint is failing or switched off. */
export function WebhookBanner() {
  const { t } = useI18n();
  const { chain, role } = useChain();
  const alerts = useLoad(() => api<Answer<'/chains/{chainId}/alerts'>>('GET', `/chains/${chain.id}/alerts`), [chain.id]);
  const live = useLiveScope();
  const last = useRef(0);
  const pending = useRef<number | undefined>(undefined);
  const { reload } = alerts;
  // At most one reload per window; a change inside the window is picked up at its end (never dropped).
  const throttled = useCallback(() => {
    if (pending.current !== undefined) return;
    const wait = Math.max(0, last.current + BANNER_THROTTLE_MS - Date.now());
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      last.current = Date.now();
      void reload();
    }, wait);
  }, [reload]);
  useEffect(() => {
    const off = live?.subscribe((k) => {
      if (k === 'deliveries' || k === 'endpoints') throttled();
    });
    return () => {
      off?.();
      if (pending.current !== undefined) window.clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [live, throttled]);
  useEffect(() => {
    const id = window.setInterval(() => void reload(), BANNER_POLL_MS);
    return () => window.clearInterval(id);
  }, [reload]);
  const list = alerts.data?.endpoints ?? [];
  if (list.length === 0) return null;
  return (
    <div className="banner" role="alert" data-testid="webhook-banner">
      {t('banner.failing', { n: list.length, names: list.map((e) => e.description || e.url).join(', ') })}{' '}
      {role === 'admin' && <Link href={chainPath(chain.id, 'integrations/deliveries')}>{t('banner.see')}</Link>}
    </div>
  );
}
