import { catalogExportHandler, catalogUpdateHandler, productCreateHandler } from './catalog/catalog.jobs.js';
import { JobTypes } from './jobs/jobs.registry.js';
import type { JobHandler } from './jobs/jobs.types.js';
import { promotionJobHandler } from './promotions/promotion-jobs.js';
import { sftpFileHandler } from './sftp/sftp.jobs.js';

/** Every job type the platform runs: the runner claims and the job views show these. */
export const JOB_HANDLERS: readonly JobHandler[] = [catalogUpdateHandler, productCreateHandler, catalogExportHandler, promotionJobHandler, sftpFileHandler];

/** JOB_HANDLERS by type, for the runner and the job routes. */
export const JOB_TYPES = new JobTypes(JOB_HANDLERS);
