import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { LanguageSelect } from './LanguageSelect';

/** The portal's logo and name (the top bar, the login card). */
export function Brand({ subtitleClass = 'muted' }: { subtitleClass?: string }) {
  const { t } = useI18n();
  return (
    <div className="brand">
      <span className="logo" aria-hidden="true">
        C
      </span>
      <span>
        {t('app.name')} <span className={subtitleClass}>· {t('app.subtitle')}</span>
      </span>
    </div>
  );
}

/** The card of the pages outside a session (log in, set a password): the brand, the content, the language. */
export function LoginCard({ children }: { children: ReactNode }) {
  return (
    <div className="login-screen">
      <main className="login-card" id="main">
        <Brand />
        {children}
        <div className="login-footer">
          <LanguageSelect />
        </div>
      </main>
    </div>
  );
}
