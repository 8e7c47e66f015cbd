import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { deriveDocument, type DocumentSpec } from '../platform/http/openapi-documents.js';
import type { Json } from '../platform/http/openapi-components.js';
import { documentErrors } from '../platform/http/openapi-errors.js';
import { documentExamples } from '../platform/http/openapi-examples.js';
import { BODY_EXAMPLES, ORDER_EXAMPLE, PARAMETER_EXAMPLES } from '../demo/index.js';
import { documentWebhooks } from '../webhooks/index.js';

const ERROR_SHAPE = 'Errors are `{ "error": { "code", "message", "details"? } }`; each operation lists the codes it can answer per status (`x-error-codes`).';

/** The two published documents. The portal's own JSON routes (/portal/api) are in neither. */
export const DOCUMENTS = {
  partner: {
    title: 'Comanda Partner API',
    description: `The partner-facing API (/v2) of a quick-commerce marketplace: orders, catalog, promotions, store status, and the webhooks Comanda sends. ${ERROR_SHAPE} Unknown body fields and query parameters are ignored and listed in \`Comanda-Ignored-Fields\` (see docs/compatibility.md).`,
    prefixes: ['/v2/'],
    passes: [documentErrors, documentExamples({ parameters: PARAMETER_EXAMPLES, bodies: BODY_EXAMPLES, responses: { getOrder: ORDER_EXAMPLE, getOrderOfToken: ORDER_EXAMPLE } }), documentWebhooks(ORDER_EXAMPLE)],
  },
  platform: {
    title: 'Comanda Operator API',
    description: `The marketplace operator's API (/platform/v1): chains, vendors, users, webhook endpoints, order intake and the platform's own order transitions, SFTP logins; plus health and metrics. ${ERROR_SHAPE}`,
    prefixes: ['/platform/v1/', '/health/', '/metrics'],
    passes: [documentErrors],
  },
} satisfies Record<string, DocumentSpec>;

export const TAG_DESCRIPTIONS: Record<string, string> = {
  Authentication: 'OAuth 2.0 client credentials for integrations that cannot hold a fixed API token',
  Vendors: "The chain's stores, by platform code or external id",
  Orders: 'Orders pushed by webhook, read and picked with PUT',
  Catalog: 'Products, per-store listings, categories, bulk updates and exports (asynchronous jobs)',
  Promotions: 'Strikethrough and bundle promotions (asynchronous jobs)',
  Outlets: 'Store status and opening hours',
  'Catalog jobs': 'Status and per-row results of catalog jobs, and export files',
  Webhooks: 'What Comanda POSTs to your webhook endpoint',
  Operations: 'Health checks and Prometheus metrics',
  Operator: 'Chains, vendors and portal users',
  'Operator: Webhooks': "Chains' webhook endpoints, the delivery log and replays",
  'Operator orders': "Order intake (the storefront) and the platform's own transitions",
  SFTP: "Chains' SFTP logins for catalog and promotion files",
};

/**
 * The OpenAPI 3.1 documents generated from the route schemas — `/openapi.json` (partner API) and
 * `/platform/openapi.json` (operator API) — and the offline reference of the partner API at /docs.
 */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Comanda', version: '2.0.0', license: { name: 'MIT', identifier: 'MIT' } },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A chain API token (cmd_live_…) or an OAuth access token (cmd_at_…)' },
          clientBasic: { type: 'http', scheme: 'basic', description: 'OAuth client authentication: client_id and client_secret as HTTP Basic credentials' },
          operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key (cmd_op_…), created with `comanda operator-key create`' },
          portalSession: { type: 'apiKey', in: 'cookie', name: 'comanda_session', description: 'Portal session; state-changing calls also need the x-csrf-token header' },
        },
      },
    },
    hideUntagged: false,
  });
  const cache = new Map<keyof typeof DOCUMENTS, Json>();
  const documentOf = (kind: keyof typeof DOCUMENTS): Json => {
    let doc = cache.get(kind);
    if (!doc) {
      doc = deriveDocument(app.swagger(), DOCUMENTS[kind], TAG_DESCRIPTIONS);
      cache.set(kind, doc);
    }
    return doc;
  };
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    transformSpecification: () => documentOf('partner'),
    transformSpecificationClone: false,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => documentOf('partner'));
  app.get('/platform/openapi.json', { schema: { hide: true } }, async () => documentOf('platform'));
}
