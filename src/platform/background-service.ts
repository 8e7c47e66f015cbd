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
