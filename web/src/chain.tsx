import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type Chain, type Role, type Vendor } from './api';
import { chainPlace, type Place } from './format';

export interface ChainScope {
  chain: Chain;
  role: Role;
  /** null while loading */
  vendors: Vendor[] | null;
  /** Where chain-wide times and money are shown (see chainPlace). */
  place: Place;
  reloadVendors(): Promise<void>;
}

const ChainContext = createContext<ChainScope | null>(null);

/** The chain open in the portal, its stores, and how to format its dates and money. */
export function ChainProvider({ chain, role, children }: { chain: Chain; role: Role; children: ReactNode }) {
  const [vendors, setVendors] = useState<Vendor[] | null>(null);
  const reloadVendors = useCallback(async () => {
    setVendors((await api<{ vendors: Vendor[] }>('GET', `/chains/${chain.id}/vendors`)).vendors);
  }, [chain.id]);
  useEffect(() => {
    setVendors(null);
    reloadVendors().catch(() => setVendors([]));
  }, [reloadVendors]);
  const place = useMemo(() => chainPlace(vendors ?? [], chain.currency), [vendors, chain.currency]);
  const value = useMemo(() => ({ chain, role, vendors, place, reloadVendors }), [chain, role, vendors, place, reloadVendors]);
  return <ChainContext.Provider value={value}>{children}</ChainContext.Provider>;
}

export function useChain(): ChainScope {
  const v = useContext(ChainContext);
  if (!v) throw new Error('useChain outside ChainProvider');
  return v;
}
