import { InvalidArgumentError, type Command } from 'commander';
import { listChains } from '../chains/chains.repository.js';
import { createChain } from '../chains/chains.service.js';
import { createOauthClient } from '../oauth/oauth.service.js';
import { createOperatorKey } from '../operator/operator-keys.service.js';
import { printJson, printLine, type WithContext } from '../platform/cli-output.js';
import { createToken, listTokens, revokeToken } from '../tokens/tokens.service.js';
import { passwordLinkForEmail } from '../users/password-links.service.js';
import { createUser, setUserPassword } from '../users/users.service.js';
import { listVendors } from '../vendors/vendors.repository.js';
import type { IntegrationType } from '../vendors/vendors.schemas.js';
import { createVendor, updateVendor } from '../vendors/vendors.service.js';

const CLI_ACTOR = 'cli';

function parseIntegrationType(value: string): IntegrationType {
  if (value !== 'DIRECT_POS' && value !== 'INDIRECT_POS') throw new InvalidArgumentError('must be DIRECT_POS or INDIRECT_POS');
  return value;
}

/** `comanda chain|vendor|user|token|oauth-client|operator-key`: the accounts and credentials an operator manages. */
export function registerAdminCommands(program: Command, withContext: WithContext): void {
  registerChainCommands(program, withContext);
  registerVendorCommands(program, withContext);
  registerUserCommands(program, withContext);
  registerTokenCommands(program, withContext);
  registerCredentialCommands(program, withContext);
}

function registerChainCommands(program: Command, withContext: WithContext): void {
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
}

function registerVendorCommands(program: Command, withContext: WithContext): void {
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
}

function registerUserCommands(program: Command, withContext: WithContext): void {
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
}

function registerTokenCommands(program: Command, withContext: WithContext): void {
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
}

/** OAuth client credentials and operator keys: secrets printed once. */
function registerCredentialCommands(program: Command, withContext: WithContext): void {
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
}
