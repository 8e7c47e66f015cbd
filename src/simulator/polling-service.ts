import type { AppContext } from '../platform/context.js';
import type { BackgroundService } from '../platform/background-service.js';

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

/** Simulators run when SIMULATORS=on, or in demo mode with SIMULATORS=auto. */
export function simulatorsEnabled(ctx: AppContext): boolean {
  return ctx.config.simulators === 'on' || (ctx.config.simulators === 'auto' && ctx.config.demo);
}
