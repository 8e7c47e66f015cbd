import { InvalidArgumentError, type Command } from 'commander';
import { createContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { acquireServeLock } from '../db/serve-lock.js';
import { backfillDemoHistory } from '../demo/demo-traffic.js';
import { seedDemo } from '../demo/demo.seed.js';
import { note, printJson, printLine, type WithContext } from '../platform/cli-output.js';
import { ROLES, startServer, stopOnSignals, type ServerRole } from '../server.js';
import { simulatorsEnabled } from '../simulator/simulators-enabled.js';
import { banner } from './banner.js';

function parseRoles(value: string): ServerRole[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw new InvalidArgumentError(`unknown role "${r}" (roles: ${ROLES.join(', ')})`);
  return roles as ServerRole[];
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

/** `comanda serve|start|migrate|demo`: running the server and preparing its database. */
export function registerServeCommands(program: Command, withContext: WithContext): void {
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
}
