import type { Command } from 'commander';
import { note, printJson } from '../platform/cli-output.js';
import { loadConfig } from '../config.js';
import { backupDatabase } from './backup.js';

/** `comanda backup --out <file>`: an online backup of the configured database (docs/operations.md). */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('copy the database while the server runs: SQLite online backup API, or pg_dump for PostgreSQL (the secret key is not included)')
    .requiredOption('--out <file>', 'where to write the backup (must not exist)')
    .action(async (o: { out: string }) => {
      const result = await backupDatabase(loadConfig(), o.out);
      note(`backup written: ${result.file} (${result.bytes} bytes). Keep the secret key (COMANDA_SECRET_KEY or <data dir>/secret.key) with it.`);
      printJson(result);
    });
}
