import type { JobHandler } from './jobs.types.js';

const handlers = new Map<string, JobHandler>();

/** Makes a job type runnable. Domains call this at import time; registering a type twice replaces it. */
export function registerJobHandler(handler: JobHandler): void {
  handlers.set(handler.type, handler);
}

export function jobHandler(type: string): JobHandler | undefined {
  return handlers.get(type);
}

export function registeredJobTypes(): string[] {
  return [...handlers.keys()];
}
