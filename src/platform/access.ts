/**
 * Who is calling, and what they may see. The principals every authenticated request carries (set by the
 * hooks in http/auth.ts), the audit actor of a request, the chain and role checks, and the one sandbox
 * rule: a test (sandbox) credential sees only test stores and their orders.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export type ChainRole = 'admin' | 'staff';

/** A portal API token (`cmd_live_…` / `cmd_test_…`). */
export interface TokenPrincipal {
  kind: 'api_token';
  chainId: string;
  tokenId: string;
  environment: 'live' | 'test';
}

/** An OAuth client-credentials access token (always live). */
export interface OauthPrincipal {
  kind: 'oauth';
  chainId: string;
  clientPk: string;
  environment: 'live';
}

/** Whoever calls /v2: chain-scoped, live or sandbox. */
export type PartnerPrincipal = TokenPrincipal | OauthPrincipal;

/** An operator key (/platform/v1). */
export interface OperatorPrincipal {
  kind: 'operator';
  keyId: string;
}

/** The user behind a portal session, with their active chain memberships. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  is_operator: boolean;
  memberships: Array<{ chain_id: string; role: ChainRole }>;
  created_at: string;
}

export interface PortalSession {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    partner?: PartnerPrincipal;
    operator?: OperatorPrincipal;
    portal?: PortalSession;
  }
  interface FastifyContextConfig {
    /**
     * Portal routes: the role a session needs on the chain of the `:chainId` path parameter, checked
     * by the one guard (chainRoleGuard in http/auth.ts). Every portal route with `:chainId` declares it.
     */
    chainRole?: ChainRole;
  }
}

/**
 * The sandbox rule, the only place it is written: a partner may see a store (or an order, a job or a
 * promotion of it) of its own chain, and a sandbox credential only a test one.
 */
export function partnerMaySee(principal: PartnerPrincipal, thing: { chain_id: string; is_test: boolean }): boolean {
  return thing.chain_id === principal.chainId && (principal.environment !== 'test' || thing.is_test);
}

/** True when the partner only sees test stores (lists filter on it). */
export function seesOnlyTestStores(principal: PartnerPrincipal): boolean {
  return principal.environment === 'test';
}

/**
 * The chain in the path must be the token's chain. Another chain answers 404, exactly like a chain
 * that does not exist, so a token never learns which chain ids exist.
 */
export function partnerChain(request: FastifyRequest, chainId: string): PartnerPrincipal {
  const p = request.partner;
  if (!p || p.chainId !== chainId) throw new AppError('CHAIN_NOT_FOUND');
  return p;
}

/** Actor string for the audit log. */
export function actorOf(request: FastifyRequest): string {
  if (request.portal) return `user:${request.portal.user.id}`;
  if (request.operator) return `operator-key:${request.operator.keyId}`;
  if (request.partner) return request.partner.kind === 'api_token' ? `api-token:${request.partner.tokenId}` : `oauth-client:${request.partner.clientPk}`;
  return 'system';
}

/**
 * A portal user may act on a chain when they are an operator, or a member with a sufficient role
 * (admin ⊃ staff). Non-members get 404 (the chain's existence is not theirs to know); staff asking
 * for admin-only features get 403.
 */
export function requireChainRole(request: FastifyRequest, chainId: string, role: ChainRole): void {
  const session = request.portal;
  if (!session) throw new AppError('SESSION_REQUIRED');
  if (session.user.is_operator) return;
  const membership = session.user.memberships.find((m) => m.chain_id === chainId);
  if (!membership) throw new AppError('CHAIN_NOT_FOUND');
  if (role === 'admin' && membership.role !== 'admin') throw new AppError('FORBIDDEN', 'Only chain admins may open Shops Integrations');
}
