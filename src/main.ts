import fs from 'node:fs';
import { Command } from 'commander';
import { registerCatalogCommands } from './catalog/catalog.cli.js';
import { registerCertifyCommands } from './certify/certify.cli.js';
import { registerAdminCommands } from './cli/admin.commands.js';
import { withContext } from './cli/context.js';
import { registerServeCommands } from './cli/serve.commands.js';
import { ConfigError } from './config.js';
import { migrations } from './db/migrations/index.js';
import { ServeLockError } from './db/serve-lock.js';
import { registerOpenApiCommands } from './http/openapi.cli.js';
import { BackupError } from './ops/backup.js';
import { registerBackupCommands } from './ops/backup.cli.js';
import { registerSecretsCommands } from './ops/secrets.cli.js';
import { note, type WithContext } from './platform/cli-output.js';
import { AppError } from './platform/errors.js';
import { SecretKeyError } from './platform/secret-box.js';
import { registerSftpCommands } from './sftp/sftp.cli.js';
import { registerSimulatorCommands } from './simulator/simulator.cli.js';
import { registerWebhookCommands } from './webhooks/webhooks.cli.js';

/** Every command group, in the order `comanda --help` lists them: the server and accounts first, then each domain's own. */
const commandGroups: Array<(program: Command, withContext: WithContext) => void> = [
  registerServeCommands,
  registerAdminCommands,
  registerWebhookCommands,
  registerCatalogCommands,
  registerSimulatorCommands,
  registerSftpCommands,
  registerSecretsCommands,
  registerOpenApiCommands,
  registerCertifyCommands,
  registerBackupCommands,
];

/** The package version (package.json next to src/ and dist/). */
export function comandaVersion(): string {
  return (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function buildCli(): Command {
  const program = new Command('comanda')
    .description('Comanda — Partner API platform for quick-commerce marketplaces')
    .version(`comanda ${comandaVersion()} (schema ${Object.keys(migrations('sqlite')).pop()}, node ${process.versions.node})`, '-V, --version', 'print the version and the latest migration')
    .showHelpAfterError();
  for (const register of commandGroups) register(program, withContext);
  return program;
}

/** Runs the CLI: known errors print one line to stderr and exit 1; never a stack trace for bad input. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof AppError || err instanceof ConfigError || err instanceof ServeLockError || err instanceof SecretKeyError || err instanceof BackupError) {
      note(`error: ${err instanceof AppError ? `${err.code}: ` : ''}${err.message}`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

await runCli(process.argv);
