import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Chain, Role, User } from './api';
import { ChainProvider } from './chain';
import { Brand } from './components/Brand';
import { WebhookBanner } from './components/WebhookBanner';
import { LiveProvider } from './live';
import { LanguageSelect } from './components/LanguageSelect';
import { useI18n } from './i18n';
import { NAV, SECTIONS, type NavEntry } from './nav';
import { chainPath } from './paths';
import { LoginPage } from './pages/LoginPage';
import { SetPasswordPage } from './pages/SetPasswordPage';
import { Link, matchPath, navigate, usePathname } from './router';
import { allows, roleOn, useSession } from './session';

const LAST_CHAIN = 'comanda.chain';

function rememberChain(id: string): void {
  try {
    localStorage.setItem(LAST_CHAIN, id);
  } catch {
    /* optional */
  }
}

function defaultChain(chains: Chain[]): Chain | undefined {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LAST_CHAIN);
  } catch {
    /* optional */
  }
  return chains.find((c) => c.id === saved) ?? chains[0];
}

function Message({ title, body }: { title: string; body: string }) {
  return (
    <section className="message" data-testid="message">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      <p>{body}</p>
    </section>
  );
}

function Shell({ user, chains, chain, role, current, children }: { user: User; chains: Chain[]; chain: Chain | null; role: Role | null; current: string; children: ReactNode }) {
  const { t } = useI18n();
  const { logout } = useSession();
  const chainSelectId = useId();
  const mainRef = useRef<HTMLElement>(null);
  const pathname = usePathname();
  const first = useRef(true);
  const navId = useId();
  // Narrow screens: the menu is a drawer behind a button; it closes on every navigation and on Escape.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [pathname]);
  useEffect(() => {
    if (!navOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setNavOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navOpen]);

  // After a client-side navigation, move focus to the new page's heading (as a page load would).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (mainRef.current?.querySelector('#page-title') as HTMLElement | null)?.focus();
  }, [pathname]);

  const visible = chain ? NAV.filter((e) => !e.parent && allows(role, e.role)) : [];
  const roleLabel = user.is_operator ? t('user.role.operator') : role ? t(`user.role.${role}`) : '';
  const switchChain = (id: string) => {
    rememberChain(id);
    const next = roleOn(user, id);
    const entry = NAV.find((e) => e.path === current);
    navigate(chainPath(id, entry && allows(next, entry.role) ? entry.path : 'dashboard'));
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        {chain && (
          <button type="button" className="nav-toggle" aria-expanded={navOpen} aria-controls={navId} onClick={() => setNavOpen((o) => !o)} data-testid="nav-toggle">
            <span aria-hidden="true">☰</span> {t('shell.menu')}
          </button>
        )}
        <Brand subtitleClass="muted subtitle" />
        {chain && (user.is_operator || chains.length > 1) ? (
          <span className="inline-field chain-field">
            <label htmlFor={chainSelectId}>{t('chain.label')}</label>
            <select id={chainSelectId} value={chain.id} onChange={(e) => switchChain(e.target.value)} data-testid="chain-switcher">
              {chains.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </span>
        ) : (
          chain && <span className="chain-name">{chain.name}</span>
        )}
        <span className="spacer" />
        <LanguageSelect />
        <span className="user" data-testid="user">
          <span className="user-name">{user.name}</span> <span className="badge role">{roleLabel}</span>
        </span>
        <button type="button" className="logout" onClick={() => void logout().then(() => navigate('/', { replace: true }))}>
          {t('logout')}
        </button>
      </header>
      <div className={`layout${navOpen ? ' nav-open' : ''}`}>
        <nav id={navId} className="sidebar" aria-label={t('nav.label')}>
          {SECTIONS.map((s) => {
            const entries = visible.filter((e) => e.section === s.id);
            if (!chain || entries.length === 0) return null;
            return (
              <div key={s.id} className="nav-section" data-section={s.id}>
                <h2>{t(s.label)}</h2>
                <ul>
                  {entries.map((e: NavEntry) => (
                    <li key={e.path}>
                      <Link href={chainPath(chain.id, e.path)} aria-current={e.path === current ? 'page' : undefined}>
                        {t(e.label)}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {chain && <WebhookBanner />}
          {children}
        </main>
      </div>
    </div>
  );
}

function SignedIn({ user, chains }: { user: User; chains: Chain[] }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const fallback = defaultChain(chains);
  const m = /^\/chains\/([^/]+)\/(.+?)\/?$/.exec(pathname);

  useEffect(() => {
    if (!m && fallback && (pathname === '/' || pathname === '/login')) navigate(chainPath(fallback.id, 'dashboard'), { replace: true });
  }, [Boolean(m), fallback?.id, pathname]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!fallback) {
    return (
      <Shell user={user} chains={chains} chain={null} role={null} current="">
        <Message title={t('error.notFound.title')} body={t('error.noChains')} />
      </Shell>
    );
  }
  const chain = m ? chains.find((c) => c.id === m[1]) : undefined;
  if (!m || !chain) {
    if (pathname === '/' || pathname === '/login') return null;
    return (
      <Shell user={user} chains={chains} chain={fallback} role={roleOn(user, fallback.id)} current="">
        <Message title={t('error.notFound.title')} body={t('error.notFound.body')} />
      </Shell>
    );
  }
  const sub = m[2]!;
  const role = roleOn(user, chain.id)!;
  const entry = NAV.find((e) => matchPath(e.path, sub));
  let content: ReactNode;
  if (!entry) content = <Message title={t('error.notFound.title')} body={t('error.notFound.body')} />;
  else if (!allows(role, entry.role)) content = <Message title={t('error.forbidden.title')} body={t('error.forbidden.body')} />;
  else content = <entry.Page />;
  rememberChain(chain.id);
  return (
    <ChainProvider key={chain.id} chain={chain} role={role}>
      <LiveProvider chainId={chain.id}>
        <Shell user={user} chains={chains} chain={chain} role={role} current={entry?.parent ?? entry?.path ?? ''}>
          {content}
        </Shell>
      </LiveProvider>
    </ChainProvider>
  );
}

export function App() {
  const { state } = useSession();
  const { t } = useI18n();
  // A set-password link works whoever is logged in on this browser (or nobody).
  if (usePathname() === '/set-password') return <SetPasswordPage />;
  if (state.status === 'loading') {
    return (
      <p className="boot" aria-busy="true">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'anonymous') return <LoginPage expired={state.expired} />;
  return <SignedIn user={state.user} chains={state.chains} />;
}
