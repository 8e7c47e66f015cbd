/** The ops domain's face: what other domains and the application use of it. */
export { registerBackupCommands } from './backup.cli.js';
export { BackupError } from './backup.js';
export { opsRoutes } from './ops.routes.js';
export { assertKeyringMatches } from './secrets-rotation.js';
export { registerSecretsCommands } from './secrets.cli.js';
