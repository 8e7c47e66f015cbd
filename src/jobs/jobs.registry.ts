import type { JobHandler } from './jobs.types.js';

/**
 * The job types a process runs and shows, built from the composition layer's declared list (never
 * filled by imports). The runner and the job views get it passed in; tests build their own.
 */
export class JobTypes {
  private readonly byType = new Map<string, JobHandler>();

  constructor(handlers: readonly JobHandler[]) {
    for (const h of handlers) {
      if (this.byType.has(h.type)) throw new Error(`job type "${h.type}" is declared twice`);
      this.byType.set(h.type, h);
    }
  }

  get(type: string): JobHandler | undefined {
    return this.byType.get(type);
  }
}
