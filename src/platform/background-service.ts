import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';

/** A long-running part of the process (dispatcher, job runner, SFTP server, simulators). */
export interface BackgroundService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds a role's background service, or undefined when configuration turns it off. */
export type ServiceFactory = (ctx: AppContext, app: FastifyInstance) => BackgroundService | undefined;

/** A background service that runs `tick` every `intervalMs` (never two ticks at once); stop() waits for the running tick. */
export function pollingService(ctx: AppContext, name: string, intervalMs: number, tick: () => Promise<unknown>): BackgroundService {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    running = tick()
      .catch((err) => ctx.log.error({ err, service: name }, 'background tick failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  return {
    name,
    async start() {
      stopped = false;
      timer = setTimeout(loop, intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
