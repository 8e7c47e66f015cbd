import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { FormError } from '../components/fields';
import { LoginCard } from '../components/Brand';
import { FieldError, LoadState, errorText } from '../components/ui';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { navigate } from '../router';

interface LinkInfo {
  email: string;
  name: string;
  purpose: 'invite' | 'reset';
  expires_at: string;
}

/** The link's secret, from the address fragment (never sent to the server as part of a URL). */
function secretFromLocation(): string {
  return decodeURIComponent(window.location.hash.replace(/^#/, ''));
}

/**
 * /set-password#<secret>: where an invitation or a reset link leads. Says whose account it is, takes
 * the new password twice, and shows the password policy's refusal under the field; an unknown, used
 * or expired link gets a not-found state that says to ask for a new one.
 */
export function SetPasswordPage() {
  const { t } = useI18n();
  const [secret] = useState(secretFromLocation);
  const [info, setInfo] = useState<LinkInfo | null>(null);
  const [loadError, setLoadError] = useState<unknown>(secret ? null : new ApiError(404, 'PASSWORD_LINK_INVALID', 'no token'));
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const ids = { pw: useId(), pwErr: useId(), repeat: useId(), repeatErr: useId() };

  // Another link opened in this tab (only the fragment changes): start over with it.
  useEffect(() => {
    const onHash = () => window.location.reload();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!secret) return;
    // Keep the secret out of the history entry once read.
    window.history.replaceState(null, '', '/set-password');
    api<LinkInfo>('POST', '/password-links/inspect', { token: secret }).then(setInfo, setLoadError);
  }, [secret]);

  const mismatch = repeat !== password ? t('password.mismatch') : null;
  const empty = password === '' ? t('password.empty') : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setPasswordError(null);
    setFormError(null);
    if (empty || mismatch) return;
    setBusy(true);
    try {
      await api('POST', '/password-links/use', { token: secret, password });
      setDone(true);
    } catch (err) {
      const view = describeError(t, err);
      if (err instanceof ApiError && err.code === 'PASSWORD_TOO_WEAK') setPasswordError(view.text);
      else setFormError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const pwMessage = passwordError ?? (tried ? empty : null);
  return (
    <LoginCard>
      <h1 id="page-title">{info?.purpose === 'invite' ? t('password.inviteTitle') : t('password.title')}</h1>
      <LoadState error={loadError} loaded={info !== null} notFound={<p>{t('error.code.PASSWORD_LINK_INVALID')}</p>} onRetry={() => window.location.reload()}>
        {done ? (
          <div data-testid="password-done">
            <p className="notice ok" role="status">
              {t('password.done', { email: info?.email ?? '' })}
            </p>
            <button type="button" className="primary wide" onClick={() => navigate('/', { replace: true })}>
              {t('password.toLogin')}
            </button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate data-testid="password-form">
            <p className="muted">{t('password.for', { email: info?.email ?? '', name: info?.name ?? '' })}</p>
            <input type="email" autoComplete="username" value={info?.email ?? ''} readOnly hidden />
            <div className="field">
              <label htmlFor={ids.pw}>{t('password.new')}</label>
              <input id={ids.pw} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={pwMessage ? true : undefined} aria-describedby={pwMessage ? ids.pwErr : undefined} autoFocus />
              <FieldError id={ids.pwErr} message={pwMessage} />
            </div>
            <div className="field">
              <label htmlFor={ids.repeat}>{t('password.repeat')}</label>
              <input id={ids.repeat} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={tried && mismatch ? true : undefined} aria-describedby={tried && mismatch ? ids.repeatErr : undefined} />
              <FieldError id={ids.repeatErr} message={tried ? mismatch : null} />
            </div>
            <FormError message={formError} />
            <button type="submit" className="primary wide" disabled={busy}>
              {t('password.save')}
            </button>
          </form>
        )}
      </LoadState>
    </LoginCard>
  );
}
