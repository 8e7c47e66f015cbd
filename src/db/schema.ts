import type { CertifyTables } from './tables/certify.js';
import type { PromotionTables } from './tables/promotions.js';
import type { WebhookTables } from './tables/webhooks.js';
import type { CatalogTables } from './tables/catalog.js';
import type { JobTables } from './tables/jobs.js';
import type { OrderTables } from './tables/orders.js';
import type { OutletTables } from './tables/outlets.js';
import type { OpsTables } from './tables/ops.js';
import type { SecurityTables } from './tables/security.js';
import type { SftpTables } from './tables/sftp.js';
import type { UserTables } from './tables/users.js';
import type { Bool, Json, NullableTimestamp, Timestamp } from './types.js';

/** The Database type: one interface per table, composed from every domain. */
export interface Database extends FoundationTables, WebhookTables, JobTables, CatalogTables, OrderTables, OutletTables, SftpTables, PromotionTables, SecurityTables, OpsTables, UserTables, CertifyTables {}

export interface FoundationTables {
  chains: ChainsTable;
  vendors: VendorsTable;
  users: UsersTable;
  chain_memberships: ChainMembershipsTable;
  api_tokens: ApiTokensTable;
  oauth_clients: OauthClientsTable;
  oauth_access_tokens: OauthAccessTokensTable;
  operator_keys: OperatorKeysTable;
  portal_sessions: PortalSessionsTable;
  audit_log: AuditLogTable;
}

export interface ChainsTable {
  id: string;
  name: string;
  country_code: string;
  currency: string;
  created_at: Timestamp;
}

export interface VendorsTable {
  id: string;
  chain_id: string;
  code: string;
  external_id: string | null;
  name: string;
  integration_type: string;
  is_test: Bool;
  time_zone: string;
  currency: string;
  country_code: string;
  locale: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_operator: Bool;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface ChainMembershipsTable {
  user_id: string;
  chain_id: string;
  role: string;
  created_at: Timestamp;
  /** Set when a chain admin deactivated this member (the user keeps their other chains). */
  disabled_at: NullableTimestamp;
}

export interface ApiTokensTable {
  id: string;
  chain_id: string;
  name: string;
  environment: string;
  token_hash: string;
  display_prefix: string;
  last4: string;
  created_at: Timestamp;
  created_by: string;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface OauthClientsTable {
  id: string;
  chain_id: string;
  client_id: string;
  name: string;
  secret_hash: string;
  last4: string;
  created_at: Timestamp;
  created_by: string;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface OauthAccessTokensTable {
  token_hash: string;
  client_pk: string;
  chain_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface OperatorKeysTable {
  id: string;
  name: string;
  key_hash: string;
  display_prefix: string;
  last4: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PortalSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  chain_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json;
  created_at: Timestamp;
}
