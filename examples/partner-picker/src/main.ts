import { startPartnerPicker } from './picker.js';

/** `npx tsx examples/partner-picker/src/main.ts`: configuration from the environment (see README.md). */
function need(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`partner-picker: set ${name} (see examples/partner-picker/README.md)\n`);
    process.exit(1);
  }
  return v;
}

const picker = await startPartnerPicker({
  baseUrl: process.env.COMANDA_URL ?? 'http://127.0.0.1:8080',
  chainId: need('CHAIN_ID'),
  vendorId: process.env.VENDOR_ID ?? 'TEST-900',
  auth: { token: need('TOKEN') },
  authorization: need('WEBHOOK_AUTHORIZATION'),
  signingSecret: need('WEBHOOK_SIGNING_SECRET'),
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '127.0.0.1',
  broken: process.argv.includes('--broken'),
  log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
});
process.stdout.write(`partner-picker: webhooks at ${picker.url}${process.argv.includes('--broken') ? ' (BROKEN: Authorization not checked)' : ''}\n`);
if (!process.argv.includes('--no-catalog-sync')) {
  const sync = await picker.syncCatalog();
  process.stdout.write(`partner-picker: catalog job ${sync.jobId} ${sync.status}, ${sync.results.length} row results read\n`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void picker.close().then(() => process.exit(0)));
