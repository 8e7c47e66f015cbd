import type { ComponentType } from 'react';
import type { Role } from './api';
import type { MessageKey } from './messages';
import { AuditPage } from './pages/AuditPage';
import { CertificationPage } from './pages/CertificationPage';
import { CatalogPage } from './pages/CatalogPage';
import { DashboardPage } from './pages/DashboardPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { OrderDetailPage } from './pages/OrderDetailPage';
import { OrdersPage } from './pages/OrdersPage';
import { PromotionsPage } from './pages/PromotionsPage';
import { SftpPage } from './pages/SftpPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { OauthClientsPage } from './pages/OauthClientsPage';
import { StoresPage } from './pages/StoresPage';
import { TestOrderPage } from './pages/TestOrderPage';
import { TokensPage } from './pages/TokensPage';
import { UsersPage } from './pages/UsersPage';
import { VendorMappingPage } from './pages/VendorMappingPage';

export type NavSection = 'operations' | 'integrations';

export interface NavEntry {
  /** Path under /chains/:chainId/ */
  path: string;
  label: MessageKey;
  section: NavSection;
  /** The least role that may open it; the server enforces the same rule. */
  role: Role;
  Page: ComponentType;
  /** A sub-page (e.g. one order): routed, not in the menu; `parent` is highlighted instead. */
  parent?: string;
}

export const SECTIONS: Array<{ id: NavSection; label: MessageKey }> = [
  { id: 'operations', label: 'nav.section.operations' },
  { id: 'integrations', label: 'nav.section.integrations' },
];

/**
 * Every page of the portal, in menu order. Only features whose API exists are listed; a later page
 * (orders, catalog, promotions, webhooks, deliveries, SFTP, test orders) is one entry here.
 */
export const NAV: NavEntry[] = [
  { path: 'dashboard', label: 'nav.dashboard', section: 'operations', role: 'staff', Page: DashboardPage },
  { path: 'orders', label: 'nav.orders', section: 'operations', role: 'staff', Page: OrdersPage },
  { path: 'orders/:orderId', label: 'nav.orders', section: 'operations', role: 'staff', Page: OrderDetailPage, parent: 'orders' },
  { path: 'stores', label: 'nav.stores', section: 'operations', role: 'staff', Page: StoresPage },
  { path: 'catalog', label: 'nav.catalog', section: 'operations', role: 'staff', Page: CatalogPage },
  { path: 'promotions', label: 'nav.promotions', section: 'operations', role: 'staff', Page: PromotionsPage },
  { path: 'integrations/tokens', label: 'nav.tokens', section: 'integrations', role: 'admin', Page: TokensPage },
  { path: 'integrations/oauth-clients', label: 'nav.oauth', section: 'integrations', role: 'admin', Page: OauthClientsPage },
  { path: 'integrations/webhooks', label: 'nav.webhooks', section: 'integrations', role: 'admin', Page: WebhooksPage },
  { path: 'integrations/deliveries', label: 'nav.deliveries', section: 'integrations', role: 'admin', Page: DeliveriesPage },
  { path: 'integrations/test-order', label: 'nav.testOrder', section: 'integrations', role: 'admin', Page: TestOrderPage },
  { path: 'integrations/certification', label: 'nav.certification', section: 'integrations', role: 'admin', Page: CertificationPage },
  { path: 'integrations/store-ids', label: 'nav.mapping', section: 'integrations', role: 'admin', Page: VendorMappingPage },
  { path: 'integrations/sftp', label: 'nav.sftp', section: 'integrations', role: 'admin', Page: SftpPage },
  { path: 'integrations/users', label: 'nav.users', section: 'integrations', role: 'admin', Page: UsersPage },
  { path: 'integrations/audit', label: 'nav.audit', section: 'integrations', role: 'admin', Page: AuditPage },
];
