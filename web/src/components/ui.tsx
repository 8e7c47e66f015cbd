import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { describeError } from '../errors';
import { useI18n, type Translate } from '../i18n';
import { CloseButton } from './fields';

/** A message for any failed call, in the UI language (see errors.ts: what happened, and a retry hint only where it helps). */
export function errorText(t: Translate, err: unknown): string {
  return describeError(t, err).text;
}

/** Loads data for a page; `reload()` after a change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    try {
      setData(await run());
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [run]);
  useEffect(() => {
    // Old data stays on screen until the new answer arrives (no flicker after a change).
    void reload();
  }, [reload]);
  return { data, error, reload };
}

export function PageHeader({ title, intro, actions }: { title: string; intro?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {intro && <p className="intro">{intro}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** Success/info line announced to screen readers. */
export function Notice({ message, kind = 'ok' }: { message: string | null; kind?: 'ok' | 'error' }) {
  return (
    <div className={`notice ${message ? kind : 'empty'}`} role={kind === 'error' ? 'alert' : 'status'} aria-live="polite">
      {message}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const view = describeError(t, error);
  return (
    <div className="notice error" role="alert">
      {view.text}
      {view.retry && onRetry && (
        <>
          {' '}
          <button type="button" className="small" onClick={onRetry}>
            {t('error.retryLabel')}
          </button>
        </>
      )}
    </div>
  );
}

/**
 * What a page that loads one thing (an order, a promotion, a link) shows until it has it: loading,
 * a not-found state for a 404 (the thing does not exist, or is not this chain's), or the error with a
 * retry where that can help. Renders `children` once loaded.
 */
export function LoadState({ error, loaded, notFound, onRetry, children }: { error: unknown; loaded: boolean; notFound: ReactNode; onRetry?: () => void; children: ReactNode }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section className="panel state-panel" data-testid="not-found" role="status">
        <h2>{t('state.notFound.title')}</h2>
        {notFound}
      </section>
    );
  }
  if (error && !loaded) {
    return (
      <section className="panel state-panel" data-testid="load-error">
        <h2>{t('state.error.title')}</h2>
        <ErrorBox error={error} onRetry={onRetry} />
      </section>
    );
  }
  if (!loaded) {
    return (
      <p className="muted" aria-busy="true" data-testid="loading">
        {t('app.loading')}
      </p>
    );
  }
  return <>{children}</>;
}

/** The message under a form field that refuses its value; pair with aria-invalid and aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {message}
    </div>
  );
}

/** A modal on the native <dialog>: focus is trapped and Escape closes it. */
export function Modal({ open, title, onClose, children, labelledBy }: { open: boolean; title: string; onClose: () => void; children: ReactNode; labelledBy?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy ?? id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <div className="dialog-body">
          <h2 id={labelledBy ?? id}>{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}

export function ConfirmDialog(props: { open: boolean; title: string; body: string; confirmLabel: string; busy?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open={props.open} title={props.title} onClose={props.onCancel}>
      <p>{props.body}</p>
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          {t('common.cancel')}
        </button>
        <button type="button" className="danger" onClick={props.onConfirm} disabled={props.busy}>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure origin): select the text so Ctrl+C works.
    input?.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** One secret field with a copy button. */
export function SecretField({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="field secret-field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} ref={ref} readOnly value={value} className="mono" data-testid="secret-value" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={async () => setCopied(await copyText(value, ref.current))}>
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      </div>
    </div>
  );
}

/** Shows a freshly created secret once; closing it drops the secret from memory. */
export function SecretOnceDialog({ open, fields, onDone }: { open: boolean; fields: Array<{ label: string; value: string }>; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open={open} title={t('secret.title')} onClose={onDone}>
      <p className="warning" role="note">
        {t('secret.warning')}
      </p>
      {fields.map((f) => (
        <SecretField key={f.label} label={f.label} value={f.value} />
      ))}
      <CloseButton onClose={onDone} label={t('secret.done')} primary />
    </Modal>
  );
}

export function StatusBadge({ status }: { status: 'active' | 'revoked' | 'expired' }) {
  const { t } = useI18n();
  const label = status === 'active' ? t('common.active') : status === 'revoked' ? t('common.revoked') : t('common.expired');
  return <span className={`badge ${status}`}>{label}</span>;
}
