import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setSessionLostHandler, type Chain, type Role, type SessionInfo, type User } from './api';

type State =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signed-in'; user: User; chains: Chain[] };

interface SessionApi {
  state: State;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function loadChains(): Promise<Chain[]> {
  return (await api<{ chains: Chain[] }>('GET', '/chains')).chains;
}

/** Holds who is logged in. The CSRF token lives in api.ts memory and is re-read from GET /session on reload. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const signedIn = useCallback(async (info: SessionInfo) => {
    setCsrfToken(info.csrf_token);
    const chains = await loadChains();
    setState({ status: 'signed-in', user: info.user, chains });
  }, []);

  useEffect(() => {
    setSessionLostHandler(() => {
      setCsrfToken(null);
      setState({ status: 'anonymous', expired: true });
    });
    api<SessionInfo>('GET', '/session').then(signedIn, () => setState({ status: 'anonymous', expired: false }));
    return () => setSessionLostHandler(null);
  }, [signedIn]);

  const login = useCallback(
    async (email: string, password: string) => {
      const info = await api<SessionInfo>('POST', '/session', { email, password });
      await signedIn(info);
    },
    [signedIn],
  );

  const logout = useCallback(async () => {
    try {
      await api('DELETE', '/session');
    } finally {
      setCsrfToken(null);
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The user's role on a chain: operators act as admins everywhere. */
export function roleOn(user: User, chainId: string): Role | null {
  if (user.is_operator) return 'admin';
  return user.memberships.find((m) => m.chain_id === chainId)?.role ?? null;
}

export function allows(role: Role | null, needed: Role): boolean {
  if (!role) return false;
  return needed === 'staff' || role === 'admin';
}
