import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

/** Event names of GET /portal/api/chains/:id/live (src/orders/dashboard.routes.portal.ts). */
export type LiveKind = 'orders' | 'new_order' | 'deliveries' | 'endpoints';
const KINDS: LiveKind[] = ['orders', 'new_order', 'deliveries', 'endpoints'];
/** Polling interval while the stream is down (ms). */
export const POLL_MS = 2500;
const ALERT_KEY = 'comanda.newOrderAlert';

interface LiveScope {
  /** True while the event stream is open; false → pages poll. */
  connected: boolean;
  subscribe(fn: (kind: LiveKind | 'ready') => void): () => void;
  alertOn: boolean;
  setAlertOn(on: boolean): void;
}

const LiveContext = createContext<LiveScope | null>(null);

function readAlert(): boolean {
  try {
    return localStorage.getItem(ALERT_KEY) === '1';
  } catch {
    return false;
  }
}

/** A short two-tone beep (Web Audio; no file to load). */
function beep(): void {
  try {
    const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    const ac = new Ctx();
    const g = ac.createGain();
    g.gain.value = 0.08;
    g.connect(ac.destination);
    [880, 1320].forEach((f, i) => {
      const o = ac.createOscillator();
      o.frequency.value = f;
      o.connect(g);
      o.start(ac.currentTime + i * 0.15);
      o.stop(ac.currentTime + i * 0.15 + 0.12);
    });
    window.setTimeout(() => void ac.close(), 600);
  } catch {
    /* sound is optional */
  }
}

/**
 * One event stream per open chain (server-sent events). While it is down (EventSource reconnects by
 * itself), pages fall back to polling. New orders: an optional sound and a "(n)" badge in the tab title
 * while the tab is in the background.
 */
export function LiveProvider({ chainId, children }: { chainId: string; children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const [alertOn, setAlert] = useState(readAlert);
  const listeners = useRef(new Set<(kind: LiveKind | 'ready') => void>());
  const alertRef = useRef(alertOn);
  alertRef.current = alertOn;
  const unseen = useRef(0);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(`/portal/api/chains/${chainId}/live`);
    const emit = (k: LiveKind | 'ready') => listeners.current.forEach((fn) => fn(k));
    es.addEventListener('ready', () => {
      setConnected(true);
      emit('ready');
    });
    es.onerror = () => setConnected(false);
    for (const k of KINDS) es.addEventListener(k, () => emit(k));
    const onNew = () => {
      if (!alertRef.current) return;
      beep();
      if (document.visibilityState !== 'visible') {
        unseen.current += 1;
        document.title = `(${unseen.current}) ${document.title.replace(/^\(\d+\) /, '')}`;
      }
    };
    es.addEventListener('new_order', onNew);
    return () => {
      es.close();
      setConnected(false);
    };
  }, [chainId]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      unseen.current = 0;
      document.title = document.title.replace(/^\(\d+\) /, '');
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  const subscribe = useCallback((fn: (kind: LiveKind | 'ready') => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  const setAlertOn = useCallback((on: boolean) => {
    setAlert(on);
    try {
      localStorage.setItem(ALERT_KEY, on ? '1' : '0');
    } catch {
      /* optional */
    }
  }, []);
  const value = useMemo(() => ({ connected, subscribe, alertOn, setAlertOn }), [connected, subscribe, alertOn, setAlertOn]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveScope(): LiveScope | null {
  return useContext(LiveContext);
}

/**
 * Re-runs `reload` when the chain changes in one of `kinds` (within ~100 ms of the server's event), once
 * when the stream (re)connects, and every POLL_MS while the stream is down and the tab visible.
 */
export function useLive(reload: () => Promise<void>, kinds: LiveKind[] = ['orders']) {
  const live = useLiveScope();
  const connected = live?.connected ?? false;
  const key = kinds.join(',');
  useEffect(() => {
    if (!live) return;
    let timer: number | undefined;
    // One reload at a time: changes during a slow one (a 30-day dashboard) ask for exactly one more after it.
    let running = false;
    let again = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await reload();
      } finally {
        running = false;
        if (again) {
          again = false;
          void run();
        }
      }
    };
    const unsubscribe = live.subscribe((k) => {
      if (k !== 'ready' && !key.split(',').includes(k)) return;
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        void run();
      }, 50);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [live, reload, key]);
  useEffect(() => {
    if (connected) return;
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, POLL_MS);
    return () => window.clearInterval(id);
  }, [connected, reload]);
}

/** The "sound and tab badge on a new order" switch. */
export function NewOrderAlertToggle({ label }: { label: string }) {
  const live = useLiveScope();
  if (!live) return null;
  return (
    <label className="toggle" data-testid="new-order-alert">
      <input type="checkbox" checked={live.alertOn} onChange={(e) => live.setAlertOn(e.target.checked)} /> {label}
    </label>
  );
}

/** Whether the page is live over the stream or polling (for the "live" line under lists). */
export function LiveState({ live: liveText, polling }: { live: string; polling: string }) {
  const live = useLiveScope();
  const on = live?.connected ?? false;
  return (
    <span data-testid="live-state" data-connected={on ? 'true' : 'false'}>
      <span className={`live-dot${on ? '' : ' polling'}`} aria-hidden="true" /> {on ? liveText : polling}
    </span>
  );
}
