import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../platform/context.js';

/**
 * Paths the single-page app must never answer: APIs and server pages keep their own routes and their
 * JSON 404s, so a typo in an API path is never "200 text/html".
 */
export const RESERVED_PREFIXES = ['/v2', '/platform', '/portal/api', '/docs', '/openapi.json', '/health', '/metrics'] as const;

export function isReservedPath(pathname: string): boolean {
  return RESERVED_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`) || pathname.startsWith(`${p}?`));
}

/** The built app has no inline script or style, so the policy can be strict. */
const HTML_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function sendIndex(reply: FastifyReply): FastifyReply {
  reply.headers(HTML_HEADERS);
  return reply.sendFile('index.html', { cacheControl: false });
}

/**
 * Serves the Partner Portal front end (web/dist) at `/`: real files by path, hashed assets cached for a
 * year, and index.html for every other non-API GET so client-side routes survive a reload.
 */
export async function registerWebApp(ctx: AppContext, app: FastifyInstance): Promise<void> {
  const root = ctx.config.portalWebDir;
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (!built) {
    ctx.log.warn({ root }, 'portal front end not built (run `npm run build`); / answers 503');
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('The Partner Portal front end is not built. Run `npm run build` (or `npm start`).\n'),
    );
    return;
  }
  await app.register(fastifyStatic, { root, serve: false });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0]!);
    } catch {
      return reply.callNotFound();
    }
    // Reserved paths and anything that tries to leave web/dist answer the JSON 404 of the API.
    if (isReservedPath(pathname) || pathname.includes('\0') || pathname.split(/[\\/]/).includes('..')) return reply.callNotFound();
    const last = pathname.split('/').pop() ?? '';
    // A path with an extension is a file request: the file or a 404, never the app shell.
    if (/\.[A-Za-z0-9]+$/.test(last)) {
      if (pathname === '/index.html') return sendIndex(reply);
      const immutable = pathname.startsWith('/assets/');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      return reply.sendFile(pathname.slice(1), { cacheControl: false });
    }
    return sendIndex(reply);
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}
