import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { AppContext } from './platform/context.js';
import { credentialListenerFactory } from './platform/credential-cache.js';
import { webhookDispatcherFactory } from './webhooks/index.js';
import { jobRunnerService } from './jobs/index.js';
import { JOB_TYPES } from './jobs-list.js';
import { orderRetentionFactory } from './orders/index.js';
import { logisticsRiderFactory, pelicanPickerFactory } from './simulator/index.js';
import { demoTrafficFactory } from './demo/index.js';
import { sftpService } from './sftp/index.js';

import type { BackgroundService, ServiceFactory } from './platform/background-service.js';
import { ROLES, type ServerRole } from './platform/roles.js';

export { ROLES, type ServerRole } from './platform/roles.js';


/** Background services per role: each domain adds its factory here (one line). */
const SERVICE_FACTORIES: Record<ServerRole, ServiceFactory[]> = {
  api: [credentialListenerFactory],
  worker: [webhookDispatcherFactory, jobRunnerService(JOB_TYPES), logisticsRiderFactory, pelicanPickerFactory, demoTrafficFactory, orderRetentionFactory],
  sftp: [sftpService],
  portal: [],
};

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Starts the HTTP server (only the routes of the given roles, plus health and metrics) and the roles' background services; stop() shuts down gracefully. */
export async function startServer(ctx: AppContext, roles: readonly ServerRole[] = ROLES): Promise<RunningServer> {
  const app = await buildApp(ctx, roles);
  const services: BackgroundService[] = [];
  for (const role of roles) {
    for (const factory of SERVICE_FACTORIES[role]) {
      const service = factory(ctx, app);
      if (service) services.push(service);
    }
  }
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  for (const s of services) await s.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  const host = ctx.config.host === '0.0.0.0' ? '127.0.0.1' : ctx.config.host;
  let stopping: Promise<void> | undefined;
  return {
    app,
    url: `http://${host}:${port}`,
    stop: () =>
      (stopping ??= (async () => {
        for (const s of [...services].reverse()) await s.stop().catch((err) => ctx.log.error({ err, service: s.name }, 'stop failed'));
        await app.close();
        await ctx.handle.close();
      })()),
  };
}

/** SIGTERM/SIGINT: stop accepting, finish what is in flight, close the database, exit. */
export function stopOnSignals(server: RunningServer, ctx: AppContext): void {
  const onSignal = (signal: string) => {
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err) => {
        ctx.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
