import type { Command } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { printJson, printLine } from '../platform/cli-output.js';
import { generateKeyText } from '../platform/secret-box.js';
import { rotateSecrets, secretsStatus } from './secrets-rotation.js';

/** `comanda secrets generate-key|status|rotate`: the key that encrypts stored webhook secrets. */
export function registerSecretsCommands(program: Command, withContext: WithContext): void {
  const cmd = program.command('secrets').description('the key that encrypts stored secrets (webhook Authorization and signing secrets, SSH host key)');
  cmd
    .command('generate-key')
    .description('print a new random key for COMANDA_SECRET_KEY (base64, 32 bytes)')
    .action(() => printLine(generateKeyText()));
  cmd
    .command('status')
    .description('which key this process seals with, which key the database records, and how many stored values each key holds')
    .action(async () => withContext(async (ctx) => printJson(await secretsStatus(ctx))));
  cmd
    .command('rotate')
    .description('re-encrypt every stored secret with COMANDA_SECRET_KEY (older keys in COMANDA_SECRET_KEY_PREVIOUS); safe while servers run')
    .action(async () => withContext(async (ctx) => printJson(await rotateSecrets(ctx))));
}
