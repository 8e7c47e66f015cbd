import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** /openapi.json (OpenAPI 3.1 from the route schemas) and the offline reference at /docs. */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Comanda Partner API',
        version: '2.0.0',
        description:
          'The partner-facing API (/v2) of a quick-commerce marketplace, the operator API (/platform/v1) and the Partner Portal API (/portal/api). Errors are `{ "error": { "code", "message", "details"? } }`.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A chain API token (cmd_live_…) or an OAuth access token (cmd_at_…)' },
          operatorKey: { type: 'http', scheme: 'bearer', description: 'An operator key (cmd_op_…), created with `comanda operator-key create`' },
          portalSession: { type: 'apiKey', in: 'cookie', name: 'comanda_session', description: 'Portal session; state-changing calls also need the x-csrf-token header' },
        },
      },
    },
    hideUntagged: false,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
