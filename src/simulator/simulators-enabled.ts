import type { AppContext } from '../platform/context.js';

/** Simulators run when SIMULATORS=on, or in demo mode with SIMULATORS=auto. */
export function simulatorsEnabled(ctx: AppContext): boolean {
  return ctx.config.simulators === 'on' || (ctx.config.simulators === 'auto' && ctx.config.demo);
}
