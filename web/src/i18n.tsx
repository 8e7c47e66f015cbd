import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, es, type MessageKey } from './messages';

export type Lang = 'es' | 'en';
export const LANGS: Lang[] = ['es', 'en'];
const STORAGE_KEY = 'comanda.lang';
const DICTS: Record<Lang, Record<MessageKey, string>> = { es, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Fills {name} placeholders; unknown placeholders stay visible so a missing value is noticed. */
export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'es' || saved === 'en') return saved;
  } catch {
    /* storage disabled: default */
  }
  return 'es';
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* not persisted: fine */
    }
  }, []);
  const t = useCallback<Translate>((key, vars) => interpolate(DICTS[lang][key] ?? key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** Translation with a fallback for keys built at run time (audit actions from newer modules). */
export function hasMessage(key: string): key is MessageKey {
  return key in es;
}
