import { Command, InvalidArgumentError } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { note, printJson } from '../platform/cli-output.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { getDelivery, listDeliveries, replayFailed, sendTestEvent } from './deliveries.service.js';
import { findEndpointRowById } from './endpoints.repository.js';
import { createEndpoint, listEndpoints, updateEndpoint } from './endpoints.service.js';
import { WEBHOOK_EVENT_TYPES } from './event-types.js';
import type { CreateEndpointBody } from './webhooks.schemas.js';

const CLI_ACTOR = 'cli';

function parseEvents(value: string): CreateEndpointBody['events'] {
  const events = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of events) {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e) || e === 'TEST') throw new InvalidArgumentError(`unknown event "${e}" (events: ${WEBHOOK_EVENT_TYPES.filter((x) => x !== 'TEST').join(', ')})`);
  }
  return events as CreateEndpointBody['events'];
}

function parseTime(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO-8601 time, e.g. 2026-01-31T00:00:00Z');
  return new Date(value).toISOString();
}

async function chainOf(ctx: AppContext, endpointId: string): Promise<string> {
  const row = await findEndpointRowById(ctx.db, endpointId);
  if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
  return row.chain_id;
}

/** `comanda webhook create|list|disable|enable|replay|test|deliveries`. */
export function registerWebhookCommands(program: Command, withContext: WithContext): void {
  const webhook = program.command('webhook').description('webhook endpoints and deliveries');

  webhook
    .command('create')
    .description('create an endpoint; prints one JSON object with its id and whsec_ signing secret (shown once)')
    .requiredOption('--chain <id>')
    .requiredOption('--url <url>')
    .requiredOption('--secret <authorization>', 'sent verbatim in the Authorization header (any string or a `Basic …` value)')
    .option('--header <name>', 'header carrying the secret', 'Authorization')
    .option('--events <list>', 'comma-separated event types (default: the standard partner set + job completions)', parseEvents)
    .option('--description <text>')
    .action(async (o: { chain: string; url: string; secret: string; header: string; events?: CreateEndpointBody['events']; description?: string }) =>
      withContext(async (ctx) => {
        const { endpoint, signing_secret } = await createEndpoint(ctx, o.chain, { url: o.url, authorization: o.secret, authorization_header: o.header, events: o.events, description: o.description }, CLI_ACTOR);
        printJson({ id: endpoint.id, signing_secret, endpoint });
      }),
    );

  webhook
    .command('list')
    .requiredOption('--chain <id>')
    .action(async (o: { chain: string }) => withContext(async (ctx) => printJson(await listEndpoints(ctx, o.chain))));

  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    webhook
      .command(name)
      .argument('<endpoint-id>')
      .action(async (id: string) => withContext(async (ctx) => printJson(await updateEndpoint(ctx, await chainOf(ctx, id), id, { enabled }, CLI_ACTOR))));
  }

  webhook
    .command('replay')
    .description('replay every failed (dead-lettered or retrying) delivery of the endpoint created since a time')
    .argument('<endpoint-id>')
    .option('--since <time>', 'ISO-8601 (default: 24 hours ago)', parseTime)
    .option('--until <time>', 'ISO-8601', parseTime)
    .action(async (id: string, o: { since?: string; until?: string }) =>
      withContext(async (ctx) => {
        const since = o.since ?? new Date(ctx.clock.now().getTime() - 86400_000).toISOString();
        printJson(await replayFailed(ctx, await chainOf(ctx, id), id, since, o.until, CLI_ACTOR));
      }),
    );

  webhook
    .command('test')
    .description('send a test event to the endpoint now (a running worker delivers it)')
    .argument('<endpoint-id>')
    .option('--wait <seconds>', 'wait for the outcome and print the attempts', (v) => Number(v))
    .action(async (id: string, o: { wait?: number }) =>
      withContext(async (ctx) => {
        const chainId = await chainOf(ctx, id);
        const e = await sendTestEvent(ctx, chainId, id);
        if (!o.wait) return printJson({ event_id: e.eventId });
        const deadline = Date.now() + o.wait * 1000;
        for (;;) {
          const [d] = (await listDeliveries(ctx, chainId, { endpoint_id: id, event_type: 'TEST', limit: 20 })).deliveries.filter((x) => x.event_id === e.eventId);
          if (d && (d.status === 'succeeded' || d.status === 'dead' || d.attempts > 0 || Date.now() > deadline)) {
            const detail = await getDelivery(ctx, chainId, d.id);
            printJson({ event_id: e.eventId, status: detail.delivery.status, attempts: detail.attempts });
            if (detail.delivery.status !== 'succeeded') process.exitCode = 1;
            return;
          }
          if (Date.now() > deadline) {
            note('no attempt yet: is a worker running?');
            process.exitCode = 1;
            return printJson({ event_id: e.eventId, status: 'pending' });
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );

  webhook
    .command('deliveries')
    .description('the delivery log, newest first')
    .requiredOption('--chain <id>')
    .option('--endpoint <id>')
    .option('--status <status>', 'waiting, pending, in_flight, succeeded, dead, cancelled')
    .option('--order <id>')
    .option('--limit <n>', 'page size', (v) => Number(v), 50)
    .option('--cursor <cursor>')
    .action(async (o: { chain: string; endpoint?: string; status?: 'pending'; order?: string; limit: number; cursor?: string }) =>
      withContext(async (ctx) => printJson(await listDeliveries(ctx, o.chain, { endpoint_id: o.endpoint, status: o.status, order_id: o.order, limit: o.limit, cursor: o.cursor }))),
    );
}
