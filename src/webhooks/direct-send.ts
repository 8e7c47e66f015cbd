import type { Agent } from 'undici';
import type { AppContext } from '../platform/context.js';
import { uuid } from '../platform/secrets.js';
import { openEndpointSecrets, type EndpointRow } from './endpoints.repository.js';
import { sendDelivery, type SendOutcome } from './sender.js';

/**
 * A sender that posts bodies straight to one endpoint, outside the outbox (nothing stored, no retry),
 * signed and authorised like its real deliveries (same sender, SSRF guard and timeout): the checks of
 * certification. `authSecret` overrides the endpoint's Authorization secret (to send a wrong one).
 */
export function directSender(ctx: AppContext, agent: Agent, endpoint: EndpointRow): { authSecret: string; send(eventId: string, body: string, authSecret?: string): Promise<SendOutcome> } {
  const secrets = openEndpointSecrets(ctx.secrets, endpoint.id, endpoint);
  return {
    authSecret: secrets.authSecret,
    send: (eventId, body, authSecret = secrets.authSecret) =>
      sendDelivery(agent, ctx.config, ctx.clock, {
        id: uuid(),
        eventId,
        endpointId: endpoint.id,
        chainId: endpoint.chain_id,
        orderKey: null,
        attempts: 0,
        attemptBase: 0,
        body,
        url: endpoint.url,
        authHeader: endpoint.auth_header,
        authSecret,
        signingSecrets: [secrets.signingSecret],
        createdAt: ctx.clock.now().toISOString(),
      }),
  };
}
