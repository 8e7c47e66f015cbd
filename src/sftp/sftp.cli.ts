import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { printJson } from '../platform/cli-output.js';
import { createSftpLogin, updateSftpLogin } from './sftp-users.service.js';

const CLI_ACTOR = 'cli';

/** Public key lines of an authorized_keys-style file (blank lines and # comments skipped). */
function readKeyFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`cannot read public key file ${file}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `comanda sftp-user create|update`. */
export function registerSftpCommands(program: Command, withContext: WithContext): void {
  const cmd = program.command('sftp-user').description("a chain's SFTP login for catalog and promotion files");
  cmd
    .command('create')
    .description('issue the login; prints one JSON object (username, host, port; the password only when generated)')
    .requiredOption('--chain <id>')
    .option('--password <pw>', 'at least 12 characters, not a common password; omit (and give no key) to have one generated')
    .option('--public-key <file>', 'OpenSSH public key file (repeatable)', collect, [] as string[])
    .action(async (o: { chain: string; password?: string; publicKey: string[] }) => {
      const keys = o.publicKey.flatMap(readKeyFile);
      await withContext(async (ctx) => printJson(await createSftpLogin(ctx, o.chain, { password: o.password, public_keys: keys.length ? keys : undefined }, CLI_ACTOR, '--password')));
    });
  cmd
    .command('update')
    .description('change the password, replace the keys, or disable/enable the login')
    .requiredOption('--chain <id>')
    .option('--password <pw>', 'at least 12 characters, not a common password')
    .option('--public-key <file>', 'OpenSSH public key file (repeatable; replaces the list)', collect, [] as string[])
    .option('--disable')
    .option('--enable')
    .action(async (o: { chain: string; password?: string; publicKey: string[]; disable?: boolean; enable?: boolean }) => {
      const keys = o.publicKey.flatMap(readKeyFile);
      await withContext(async (ctx) =>
        printJson(
          await updateSftpLogin(ctx, o.chain, { password: o.password, public_keys: keys.length ? keys : undefined, disabled: o.disable ? true : o.enable ? false : undefined }, CLI_ACTOR, '--password'),
        ),
      );
    });
}
