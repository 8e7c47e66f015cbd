import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { FormError } from '../components/fields';
import { LoginCard } from '../components/Brand';
import { errorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { email: useId(), password: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('login.invalid'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.throttled', { seconds: err.retryAfterSeconds ?? 60 }));
      else setError(errorText(t, err));
      setBusy(false);
    }
  };

  return (
    <LoginCard>
      <h1>{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      {expired && !error && (
        <div className="notice info" role="status">
          {t('login.expired')}
        </div>
      )}
      <form onSubmit={submit} noValidate={false}>
        <div className="field">
          <label htmlFor={ids.email}>{t('login.email')}</label>
          <input id={ids.email} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('login.password')}</label>
          <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <FormError message={error} testId="login-error" />
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </LoginCard>
  );
}
