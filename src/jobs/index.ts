/** The jobs domain's face: what other domains and the application use of it. */
export { defineJob } from './job-definition.js';
export { jobRunnerService } from './job-runner.js';
export { JobTypes } from './jobs.registry.js';
export { deleteInputChunk, deleteJobInputs, findChainJob, findJob, findNewestVendorJob, insertEncodedResultChunk, insertOutputChunk, insertResultChunk, listChainJobs, markJobResultsRead, readInputChunk, setJobTotalRows, unfinishedJobParams } from './jobs.repository.js';
export { createJob, createStreamedJob, notifyJobQueued } from './jobs.service.js';
export { JobFatalError } from './jobs.types.js';
export type { Job, JobHandler, StepOutcome, TypedJob } from './jobs.types.js';
export { JobView, jobView, outputStream, resultsCsvStream, resultsJsonStream } from './jobs.view.js';
export { REFUSED_ROWS_FIELDS } from './refused-rows.js';
export type { RefusedRows } from './refused-rows.js';
export { jobResultsResponses, wantsCsv } from './results-response.js';
export { rowJobHandler } from './row-job.js';
