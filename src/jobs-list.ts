import { catalogExportHandler, catalogUpdateHandler, productCreateHandler } from './catalog/index.js';
import { type JobHandler, JobTypes } from './jobs/index.js';
import { promotionJobHandler } from './promotions/index.js';
import { sftpFileHandler } from './sftp/index.js';

/** Every job type the platform runs: the runner claims and the job views show these. */
export const JOB_HANDLERS: readonly JobHandler[] = [catalogUpdateHandler, productCreateHandler, catalogExportHandler, promotionJobHandler, sftpFileHandler];

/** JOB_HANDLERS by type, for the runner and the job routes. */
export const JOB_TYPES = new JobTypes(JOB_HANDLERS);
