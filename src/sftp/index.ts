/** The sftp domain's face: what other domains and the application use of it. */
export { resultFileName } from './csv/results-csv.js';
export { HOST_KEY_PURPOSE, hostKeySecrets, resealHostKeys } from './host-key.js';
export { findSealedFile, listFolder, readFileChunks } from './sftp-files.repository.js';
export { FileTooLargeError, QuotaExceededError, storeUpload } from './sftp-files.service.js';
export { findSftpUserByChain } from './sftp-users.repository.js';
export { SftpLogin } from './sftp-users.schemas.js';
export { createSftpLogin, getSftpLogin } from './sftp-users.service.js';
export { registerSftpCommands } from './sftp.cli.js';
export { SFTP_FILE_JOB, sftpFileHandler } from './sftp.jobs.js';
export { sftpOperatorRoutes } from './sftp.routes.js';
export { sftpService } from './sftp.server.js';
export { isStorableFileName } from './vfs.js';
