import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { createContext } from './bootstrap.js';
import { withContext } from './cli/context.js';
import { listChains } from './chains/chains.repository.js';
import { createChain } from './chains/chains.service.js';
import { banner } from './cli/banner.js';
import { registerCatalogCommands } from './catalog/catalog.cli.js';
import { registerCertifyCommands } from './certify/certify.cli.js';
import { note, printJson, printLine, type WithContext } from './platform/cli-output.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { migrations } from './db/migrations/index.js';
import { acquireServeLock, ServeLockError } from './db/serve-lock.js';
import { backfillDemoHistory } from './demo/demo-traffic.js';
import { seedDemo } from './demo/demo.seed.js';
import { AppError } from './platform/errors.js';
import { registerOpenApiCommands } from './http/openapi.cli.js';
import { BackupError } from './ops/backup.js';
import { registerBackupCommands } from './ops/backup.cli.js';
import { createOauthClient } from './oauth/oauth.service.js';
import { createOperatorKey } from './operator/operator-keys.service.js';
import { SecretKeyError } from './platform/secret-box.js';
import { registerSecretsCommands } from './ops/secrets.cli.js';
import { registerSimulatorCommands } from './simulator/simulator.cli.js';
import { registerSftpCommands } from './sftp/sftp.cli.js';
import { simulatorsEnabled } from './simulator/simulators-enabled.js';
import { ROLES, startServer, stopOnSignals, type ServerRole } from './server.js';
import { createToken, listTokens, revokeToken } from './tokens/tokens.service.js';
import { passwordLinkForEmail } from './users/password-links.service.js';
import { createUser, setUserPassword } from './users/users.service.js';
import { listVendors } from './vendors/vendors.repository.js';
import type { IntegrationType } from './vendors/vendors.schemas.js';
import { createVendor, updateVendor } from './vendors/vendors.service.js';
import { registerWebhookCommands } from './webhooks/webhooks.cli.js';

const CLI_ACTOR = 'cli';

/** Each domain's CLI commands (`register(program)`), one line per domain. */
const domainCommands: Array<(program: Command, withContext: WithContext) => void> = [registerWebhookCommands, registerCatalogCommands, registerSimulatorCommands, registerSftpCommands, registerSecretsCommands, registerOpenApiCommands, registerCertifyCommands, registerBackupCommands];

function parseRoles(value: string): ServerRole[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw new InvalidArgumentError(`unknown role "${r}" (roles: ${ROLES.join(', ')})`);
  return roles as ServerRole[];
}

function parseIntegrationType(value: string): IntegrationType {
  if (value !== 'DIRECT_POS' && value !== 'INDIRECT_POS') throw new InvalidArgumentError('must be DIRECT_POS or INDIRECT_POS');
  return value;
}

async function serve(opts: { roles: ServerRole[]; demo: boolean }): Promise<void> {
  const config = loadConfig(process.env, opts.demo ? { demo: true, env: process.env.COMANDA_ENV ? loadConfig().env : 'development', webhookAllowedHosts: [...loadConfig().webhookAllowedHosts, 'localhost', '127.0.0.1'] } : {});
  // The embedded database serves one process: a second `serve` on the same file is refused up front.
  if (!config.databaseUrl) {
    const lock = acquireServeLock(config.sqlitePath);
    process.once('exit', () => lock.release());
  }
  const ctx = await createContext(config);
  const demo = opts.demo ? await seedDemo(ctx) : undefined;
  // The first demo start gets a few days of orders, so the dashboard opens on a past (then live traffic).
  if (demo && simulatorsEnabled(ctx)) await backfillDemoHistory(ctx, { days: config.simDemoHistoryDays, ordersPerHour: config.simDemoOrdersPerHour });
  const server = await startServer(ctx, opts.roles);
  stopOnSignals(server, ctx);
  if (demo) process.stdout.write(`${banner(server.url, demo, ctx.handle.description)}\n`);
  else ctx.log.info({ url: server.url, roles: opts.roles, database: ctx.handle.description }, 'comanda listening');
}

/** The package version (package.json next to src/ and dist/). */
export function comandaVersion(): string {
  return (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function buildCli(): Command {
  const program = new Command('comanda')
    .description('Comanda — Partner API platform for quick-commerce marketplaces')
    .version(`comanda ${comandaVersion()} (schema ${Object.keys(migrations('sqlite')).pop()}, node ${process.versions.node})`, '-V, --version', 'print the version and the latest migration')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the server (migrations applied at boot)')
    .option('--roles <roles>', `comma-separated roles: ${ROLES.join(',')}`, parseRoles, [...ROLES])
    .action(async (o: { roles: ServerRole[] }) => serve({ roles: o.roles, demo: false }));

  program
    .command('start')
    .description('migrate, seed the demo data on first run, and serve everything in demo mode (what `npm start` runs)')
    .action(async () => serve({ roles: [...ROLES], demo: true }));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () =>
      withContext(async (ctx) => {
        const applied = await migrateToLatest(ctx.handle, ctx.secrets);
        note(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      }),
    );

  program
    .command('demo')
    .description('create the demo chain, stores, logins, token and operator key (idempotent)')
    .option('--json', 'print one JSON object for automation')
    .action(async (o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const info = await seedDemo(ctx);
        if (o.json) printJson(info);
        else printLine(banner(ctx.config.publicUrl, info, ctx.handle.description));
      }),
    );

  const chain = program.command('chain').description('chains (partner companies)');
  chain
    .command('create')
    .requiredOption('--name <name>')
    .option('--country <code>', 'ISO country code', 'AR')
    .option('--currency <code>', 'ISO currency code', 'ARS')
    .action(async (o: { name: string; country: string; currency: string }) =>
      withContext(async (ctx) => printJson(await createChain(ctx, { name: o.name, country_code: o.country, currency: o.currency }, CLI_ACTOR))),
    );
  chain.command('list').action(async () => withContext(async (ctx) => printJson(await listChains(ctx.db))));

  const vendor = program.command('vendor').description('vendors (stores)');
  vendor
    .command('create')
    .requiredOption('--chain <id>')
    .requiredOption('--name <name>')
    .option('--type <type>', 'DIRECT_POS or INDIRECT_POS', parseIntegrationType, 'DIRECT_POS')
    .option('--external-id <id>')
    .option('--code <code>')
    .option('--time-zone <tz>')
    .option('--test', 'a test store for sandbox orders')
    .action(async (o: { chain: string; name: string; type: IntegrationType; externalId?: string; code?: string; timeZone?: string; test?: boolean }) =>
      withContext(async (ctx) =>
        printJson(
          await createVendor(ctx, o.chain, { name: o.name, integration_type: o.type, external_id: o.externalId, code: o.code, time_zone: o.timeZone, is_test: o.test ?? false }, CLI_ACTOR),
        ),
      ),
    );
  vendor
    .command('update')
    .requiredOption('--chain <id>')
    .requiredOption('--vendor <code>')
    .option('--type <type>', 'DIRECT_POS or INDIRECT_POS', parseIntegrationType)
    .option('--external-id <id>')
    .action(async (o: { chain: string; vendor: string; type?: IntegrationType; externalId?: string }) =>
      withContext(async (ctx) => printJson(await updateVendor(ctx, o.chain, o.vendor, { integration_type: o.type, external_id: o.externalId }, CLI_ACTOR))),
    );
  vendor.command('list').requiredOption('--chain <id>').action(async (o: { chain: string }) => withContext(async (ctx) => printJson(await listVendors(ctx.db, o.chain))));

  const user = program.command('user').description('portal users');
  user
    .command('password-link')
    .description('print a one-time link for the user to set a new password (no e-mail is sent)')
    .requiredOption('--email <email>')
    .action(async (o: { email: string }) => withContext(async (ctx) => printJson(await passwordLinkForEmail(ctx, o.email, CLI_ACTOR))));
  user
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 12 characters, not a common password')
    .option('--name <name>')
    .option('--chain <id>')
    .option('--role <role>', 'admin or staff', 'staff')
    .option('--operator', 'an operator (sees every chain)')
    .action(async (o: { email: string; password: string; name?: string; chain?: string; role: string; operator?: boolean }) => {
      if (o.role !== 'admin' && o.role !== 'staff') throw new InvalidArgumentError('--role must be admin or staff');
      await withContext(async (ctx) =>
        printJson(await createUser(ctx, { email: o.email, password: o.password, name: o.name, chainId: o.chain, role: o.role as 'admin' | 'staff', isOperator: o.operator ?? false, passwordField: '--password' }, CLI_ACTOR)),
      );
    });
  user
    .command('set-password')
    .description("reset a user's password (at least 12 characters, not a common one); ends their portal sessions")
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .action(async (o: { email: string; password: string }) => withContext(async (ctx) => printJson(await setUserPassword(ctx, o.email, o.password, CLI_ACTOR, '--password'))));

  const token = program.command('token').description('chain API tokens (at most 11 active per chain)');
  token
    .command('create')
    .requiredOption('--chain <id>')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--sandbox', 'a cmd_test_ token that reaches only test stores')
    .description('create a token; prints only the secret (shown once)')
    .action(async (o: { chain: string; name: string; sandbox?: boolean }) =>
      withContext(async (ctx) => printLine((await createToken(ctx, o.chain, { name: o.name, environment: o.sandbox ? 'test' : 'live' }, CLI_ACTOR)).secret)),
    );
  token
    .command('list')
    .requiredOption('--chain <id>')
    .option('--all', 'include revoked tokens')
    .action(async (o: { chain: string; all?: boolean }) => withContext(async (ctx) => printJson(await listTokens(ctx, o.chain, { includeRevoked: o.all ?? false }))));
  token
    .command('revoke')
    .requiredOption('--chain <id>')
    .argument('<token-id>')
    .action(async (tokenId: string, o: { chain: string }) => withContext(async (ctx) => printJson(await revokeToken(ctx, o.chain, tokenId, CLI_ACTOR))));

  program
    .command('oauth-client')
    .description('OAuth client credentials')
    .command('create')
    .requiredOption('--chain <id>')
    .requiredOption('--name <name>')
    .action(async (o: { chain: string; name: string }) =>
      withContext(async (ctx) => {
        const { client, client_secret } = await createOauthClient(ctx, o.chain, o.name, CLI_ACTOR);
        printJson({ id: client.id, client_id: client.client_id, client_secret });
      }),
    );

  program
    .command('operator-key')
    .description('operator API keys for /platform/v1')
    .command('create')
    .option('--name <name>', 'what the key is for', 'operator')
    .description('create an operator key; prints only the secret (shown once)')
    .action(async (o: { name: string }) => withContext(async (ctx) => printLine((await createOperatorKey(ctx, o.name)).secret)));

  // Domain commands: each domain registers its own in <domain>/<domain>.cli.ts.
  for (const register of domainCommands) register(program, withContext);
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
