import { useCallback, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny history router: the portal has a handful of flat routes, not worth a dependency. */
const EVENT = 'comanda:navigate';

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

/** Re-renders on every navigation (links, back/forward) with `read()` of the new location. */
function useLocationPart(read: () => string): string {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read());
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return value;
}

export function usePathname(): string {
  return useLocationPart(() => window.location.pathname);
}

/**
 * The page's query string as state: filters and paging live in the URL so a view can be shared and
 * reloaded. `update` merges (an empty value removes the key) and pushes a history entry (back undoes
 * a filter) unless `replace`.
 */
export function useQueryParams(): [URLSearchParams, (changes: Record<string, string | number | null | undefined>, opts?: { replace?: boolean }) => void] {
  const search = useLocationPart(() => window.location.search);
  const update = useCallback((changes: Record<string, string | number | null | undefined>, opts: { replace?: boolean } = {}) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    const s = next.toString();
    navigate(`${window.location.pathname}${s ? `?${s}` : ''}`, opts);
  }, []);
  return [new URLSearchParams(search), update];
}

/**
 * A filter form's fields over values kept in the URL: they start from the URL and re-read it on every
 * navigation (back/forward, links, applying a filter, paging), so the form always shows the filters of
 * the view on screen; typing changes only the fields until the page applies them to the URL.
 */
export function useUrlFilters<T extends Record<string, string>>(fromUrl: T): [T, (changes: Partial<T>) => void] {
  const search = useLocationPart(() => window.location.search);
  const [state, setState] = useState({ search, fields: fromUrl });
  let current = state;
  if (state.search !== search) {
    // Adjusting state while rendering (React's pattern for state derived from a changed input): no stale frame.
    current = { search, fields: fromUrl };
    setState(current);
  }
  const set = useCallback((changes: Partial<T>) => setState((s) => ({ ...s, fields: { ...s.fields, ...changes } })), []);
  return [current.fields, set];
}

/** Matches "/chains/:chainId/stores" against a path; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(s[i]!);
    else if (seg !== s[i]) return null;
  }
  return params;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
