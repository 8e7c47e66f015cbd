import type { AppContext } from '../platform/context.js';
import { bool, json } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { createTestOrder, findOrder, listOrderEvents, sampleListings } from '../orders/index.js';
import { uuid } from '../platform/secrets.js';
import { resolveVendor, type Vendor } from '../vendors/index.js';
import { createWebhookAgent, deliveredOrderEvent, directSender, type EndpointRow, listDeliveries, listEndpointRows, type SendOutcome } from '../webhooks/index.js';
import { findCatalogUpdateJob, finishCertification, insertCertification, runningCertification } from './certify.repository.js';
import { orderSettled, SCENARIOS, scenarioComment, type Localized } from './scenarios.js';
import type { CertificationCheck, CertificationReport } from './certify.types.js';

export type { CertificationCheck, CertificationReport, CheckGroup } from './certify.types.js';

export interface CertifyOptions {
  /** How long to wait for the partner (orders and catalog), default 120 s. */
  timeoutMs?: number;
  /** The webhook endpoint to check (default: the chain's first enabled one subscribed to RECEIVED). */
  endpointId?: string;
  /** A catalog update job counts when created at most this long before the run (default 1 h). */
  catalogWindowMs?: number;
  /** Events in the burst check (default 20). */
  burst?: number;
  /** Poll interval (default 250 ms). */
  pollMs?: number;
}

const WEBHOOK_CHECKS: Record<string, Localized> = {
  WEBHOOK_2XX: { es: 'El endpoint responde 2xx dentro del plazo', en: 'The endpoint answers 2xx within the timeout' },
  WEBHOOK_WRONG_SECRET: { es: 'Rechaza un Authorization incorrecto', en: 'It refuses a wrong Authorization secret' },
  WEBHOOK_REDELIVERY: { es: 'Tolera un evento reenviado', en: 'It tolerates a redelivered event' },
  WEBHOOK_BURST: { es: 'Sigue respondiendo después de una ráfaga', en: 'It keeps working after a burst' },
};
const CATALOG_CHECKS: Record<string, Localized> = {
  CATALOG_JOB: { es: 'Actualización masiva de catálogo (job) completada', en: 'A bulk catalog update job completed' },
  CATALOG_RESULTS: { es: 'Lectura de los resultados por fila del job', en: "The job's per-row results were read" },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The test store of the chain, or the error the caller shows. */
export async function certificationVendor(ctx: AppContext, chainId: string, vendorRef: string): Promise<Vendor> {
  const vendor = await resolveVendor(ctx.db, chainId, vendorRef);
  if (!vendor) throw new AppError('VENDOR_NOT_FOUND', `vendor: no store "${vendorRef}" in chain ${chainId}`, { field: 'vendor' });
  if (!vendor.is_test) throw new AppError('NOT_A_TEST_STORE', `vendor: ${vendor.code} is not a test store (create one with \`comanda vendor create --test\`)`, { field: 'vendor' });
  return vendor;
}

/**
 * Starts a run: stores it RUNNING (one at a time per chain) and returns its id with the promise of
 * the finished report (stored as it finishes, whatever happens).
 */
export async function startCertification(ctx: AppContext, chainId: string, vendorRef: string, actor: string, opts: CertifyOptions = {}): Promise<{ id: string; done: Promise<CertificationReport> }> {
  const vendor = await certificationVendor(ctx, chainId, vendorRef);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = ctx.clock.now();
  // A run that died with its process stays RUNNING: it stops blocking once it is well past its timeout.
  const running = await runningCertification(ctx.db, chainId, new Date(started.getTime() - timeoutMs - 10 * 60_000).toISOString());
  if (running) throw new AppError('CERTIFICATION_RUNNING', `certification ${running} of this chain is still running`);
  const id = uuid();
  await insertCertification(ctx.db, { id, chain_id: chainId, vendor_id: vendor.id, status: 'RUNNING', passed_checks: 0, failed_checks: 0, report: null, created_by: actor, started_at: started.toISOString(), finished_at: null });
  const done = (async () => {
    let report: CertificationReport;
    try {
      report = await runChecks(ctx, id, vendor, started, { ...opts, timeoutMs });
    } catch (err) {
      ctx.log.error({ err, certification: id }, 'certification run failed');
      report = reportOf(id, vendor, started, ctx.clock.now(), timeoutMs, null, [
        { id: 'RUN', group: 'setup', title: { es: 'Ejecución de la homologación', en: 'Certification run' }, pass: false, evidence: [`the run stopped: ${(err as Error).message}`] },
      ]);
    }
    await finishCertification(ctx.db, report);
    return report;
  })();
  return { id, done };
}

/** Runs a certification to the end (CLI, tests). */
export async function certify(ctx: AppContext, chainId: string, vendorRef: string, actor: string, opts: CertifyOptions = {}): Promise<CertificationReport> {
  return (await startCertification(ctx, chainId, vendorRef, actor, opts)).done;
}

function reportOf(id: string, vendor: Vendor, started: Date, finished: Date, timeoutMs: number, endpoint: EndpointRow | null, checks: CertificationCheck[]): CertificationReport {
  const failed = checks.filter((c) => !c.pass);
  return {
    id,
    chain_id: vendor.chain_id,
    vendor: { id: vendor.id, code: vendor.code, name: vendor.name, external_id: vendor.external_id },
    status: failed.length === 0 && checks.length > 0 ? 'PASSED' : 'FAILED',
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    timeout_seconds: Math.round(timeoutMs / 1000),
    endpoint: endpoint ? { id: endpoint.id, url: endpoint.url } : null,
    summary: { passed: checks.length - failed.length, failed: failed.length, failed_checks: failed.map((c) => c.id) },
    checks,
  };
}

async function pickEndpoint(ctx: AppContext, chainId: string, endpointId: string | undefined): Promise<EndpointRow | undefined> {
  const rows = (await listEndpointRows(ctx.db, chainId)).filter((r) => bool(r.enabled));
  if (endpointId) return rows.find((r) => r.id === endpointId);
  return rows.find((r) => json<string[]>(r.events).includes('RECEIVED')) ?? rows[0];
}

interface PlacedOrder {
  scenario: (typeof SCENARIOS)[number];
  orderId?: string;
  orderCode?: string;
  error?: string;
}

async function runChecks(ctx: AppContext, id: string, vendor: Vendor, started: Date, opts: CertifyOptions & { timeoutMs: number }): Promise<CertificationReport> {
  const checks: CertificationCheck[] = [];
  const pollMs = opts.pollMs ?? 250;
  const endpoint = await pickEndpoint(ctx, vendor.chain_id, opts.endpointId);
  checks.push({
    id: 'WEBHOOK_ENDPOINT',
    group: 'setup',
    title: { es: 'Endpoint de webhook configurado', en: 'A webhook endpoint is configured' },
    pass: endpoint !== undefined,
    evidence: endpoint
      ? [`endpoint ${endpoint.id}: ${endpoint.url}`, `events: ${json<string[]>(endpoint.events).join(', ')}`]
      : [opts.endpointId ? `no enabled endpoint ${opts.endpointId} in this chain` : 'the chain has no enabled webhook endpoint: orders would never reach the integration'],
  });

  // The products of the test store the baskets use: two unit products and one sold by weight.
  const listed = (await sampleListings(ctx.db, vendor.id, 200)).filter((p) => p.active);
  const parts = { units: listed.filter((p) => !p.is_sold_by_weight).slice(0, 2), weighted: listed.find((p) => p.is_sold_by_weight) };
  const placed: PlacedOrder[] = [];
  for (const scenario of SCENARIOS) {
    const items = parts.units.length ? scenario.basket(parts) : undefined;
    if (!items?.length) {
      placed.push({ scenario, error: `the test store ${vendor.code} lists no ${scenario.id === 'WEIGHT' ? 'active product sold by weight' : 'active unit products (two needed)'} to build this order from` });
      continue;
    }
    if (!endpoint) {
      placed.push({ scenario, error: 'not placed: no webhook endpoint to send it to' });
      continue;
    }
    try {
      const { order } = await createTestOrder(
        ctx,
        { vendor_id: vendor.code, chain_id: vendor.chain_id, transport_type: scenario.transport, order_type: 'DELIVERY', items, comment: scenarioComment(scenario) },
        `certification:${id}`,
        vendor.chain_id,
      );
      placed.push({ scenario, orderId: order.id, orderCode: order.order_code });
    } catch (err) {
      placed.push({ scenario, error: `the test order was refused: ${(err as Error).message}` });
    }
  }

  // Wait for the partner: every order settled and a catalog job completed with its results read, or the timeout.
  const deadline = started.getTime() + opts.timeoutMs;
  const catalogSince = new Date(started.getTime() - (opts.catalogWindowMs ?? 3_600_000)).toISOString();
  const settled = new Set<string>();
  let job = await findCatalogUpdateJob(ctx.db, vendor.id, catalogSince);
  for (;;) {
    for (const p of placed) {
      if (!p.orderId || settled.has(p.orderId)) continue;
      if (orderSettled(await listOrderEvents(ctx.db, p.orderId))) settled.add(p.orderId);
    }
    job = await findCatalogUpdateJob(ctx.db, vendor.id, catalogSince);
    const ordersDone = placed.every((p) => !p.orderId || settled.has(p.orderId));
    const catalogDone = job !== undefined && (job.status === 'COMPLETED' || job.status === 'FAILED') && job.results_read_at !== null;
    if ((ordersDone && catalogDone) || Date.now() >= deadline) break;
    await sleep(pollMs);
  }

  for (const p of placed) {
    const check: CertificationCheck = { id: `ORDER_${p.scenario.id}`, group: 'orders', title: p.scenario.title, pass: false, evidence: [] };
    if (!p.orderId) check.evidence.push(p.error ?? 'not placed');
    else {
      check.order_id = p.orderId;
      check.order_code = p.orderCode;
      const order = await findOrder(ctx.db, p.orderId);
      const timeline = await listOrderEvents(ctx.db, p.orderId);
      if (!order) check.evidence.push('the order is gone');
      else {
        const r = p.scenario.check(order, timeline, ctx.config.orderWeightTolerancePercent);
        check.pass = r.pass;
        check.evidence.push(`order ${order.order_code} (${order.id})`, ...r.evidence);
        if (!settled.has(p.orderId)) {
          check.evidence.push(`waited ${Math.round(opts.timeoutMs / 1000)} s: the integration did not finish this order`);
          check.evidence.push(...(await deliveryEvidence(ctx, vendor.chain_id, p.orderId)));
        }
      }
    }
    checks.push(check);
  }

  if (endpoint) checks.push(...(await webhookChecks(ctx, endpoint, placed, opts.burst ?? 20)));
  else for (const [cid, title] of Object.entries(WEBHOOK_CHECKS)) checks.push({ id: cid, group: 'webhooks', title, pass: false, evidence: ['no webhook endpoint'] });

  checks.push(...catalogChecks(job, vendor, catalogSince));
  return reportOf(id, vendor, started, ctx.clock.now(), opts.timeoutMs, endpoint ?? null, checks);
}

/** What the platform sent for an unfinished order: each webhook delivery, its state and the endpoint's last answer. */
async function deliveryEvidence(ctx: AppContext, chainId: string, orderId: string): Promise<string[]> {
  const { deliveries } = await listDeliveries(ctx, chainId, { order_id: orderId, limit: 20 });
  if (!deliveries.length) return ['webhooks: nothing was sent for this order'];
  return deliveries
    .reverse()
    .map(
      (d) =>
        `webhook ${d.event_type}${d.sequence === null ? '' : ` #${d.sequence}`}: ${d.status}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` +
        (d.last_status_code !== null ? `, last answer HTTP ${d.last_status_code}` : '') +
        (d.last_error ? ` (${d.last_error})` : ''),
    );
}

function catalogChecks(job: Awaited<ReturnType<typeof findCatalogUpdateJob>>, vendor: Vendor, since: string): CertificationCheck[] {
  if (!job) {
    const why = `no catalog update job (PUT /v2/chains/{chain_id}/vendors/${vendor.code}/catalog) on the test store since ${since}`;
    return [
      { id: 'CATALOG_JOB', group: 'catalog', title: CATALOG_CHECKS.CATALOG_JOB!, pass: false, evidence: [why] },
      { id: 'CATALOG_RESULTS', group: 'catalog', title: CATALOG_CHECKS.CATALOG_RESULTS!, pass: false, evidence: [why] },
    ];
  }
  const desc = `job ${job.id} (${job.type}) created ${job.created_at} by ${job.created_by}: ${job.status}, ${job.processed_rows}/${job.total_rows} rows, ${job.error_rows} with errors`;
  return [
    { id: 'CATALOG_JOB', group: 'catalog', title: CATALOG_CHECKS.CATALOG_JOB!, pass: job.status === 'COMPLETED', evidence: [desc] },
    {
      id: 'CATALOG_RESULTS',
      group: 'catalog',
      title: CATALOG_CHECKS.CATALOG_RESULTS!,
      pass: job.results_read_at !== null,
      evidence: [
        job.results_read_at
          ? `per-row results first read ${job.results_read_at} (GET …/catalog/jobs/${job.id} or …/results)`
          : `the results of job ${job.id} were never read after it finished (GET /v2/chains/{chain_id}/catalog/jobs/${job.id}/results)`,
      ],
    },
  ];
}

function outcomeText(o: SendOutcome): string {
  return o.statusCode !== null ? `HTTP ${o.statusCode} in ${Math.round(o.durationMs)} ms` : `${o.outcome}: ${o.error ?? ''} after ${Math.round(o.durationMs)} ms`;
}

/** Posts events straight to the partner's endpoint, signed and authorised like real deliveries (same sender, SSRF guard and timeout). */
async function webhookChecks(ctx: AppContext, endpoint: EndpointRow, placed: PlacedOrder[], burst: number): Promise<CertificationCheck[]> {
  const agent = createWebhookAgent(ctx.config);
  const { send, authSecret } = directSender(ctx, agent, endpoint);
  const timeout = ctx.config.webhookTimeoutMs;
  const testEvent = (message: string) => {
    const eventId = uuid();
    return { eventId, body: JSON.stringify({ type: 'TEST', message, sent_at: ctx.clock.now().toISOString(), endpoint_id: endpoint.id, sys: { event_id: eventId, sequence: null } }) };
  };
  const ok = (o: SendOutcome) => o.outcome === 'success' && o.durationMs < timeout;
  const checks: CertificationCheck[] = [];
  try {
    const first = testEvent('Certification: answer 2xx');
    const r1 = await send(first.eventId, first.body);
    checks.push({ id: 'WEBHOOK_2XX', group: 'webhooks', title: WEBHOOK_CHECKS.WEBHOOK_2XX!, pass: ok(r1), evidence: [`TEST event ${first.eventId}: ${outcomeText(r1)} (timeout ${timeout} ms)`] });

    const wrong = testEvent('Certification: this request carries a wrong Authorization secret and must be refused');
    const r2 = await send(wrong.eventId, wrong.body, `${authSecret}-wrong`);
    const refused = r2.statusCode !== null && r2.statusCode >= 400 && r2.statusCode < 500;
    checks.push({
      id: 'WEBHOOK_WRONG_SECRET',
      group: 'webhooks',
      title: WEBHOOK_CHECKS.WEBHOOK_WRONG_SECRET!,
      pass: refused,
      evidence: [`TEST event with a wrong ${endpoint.auth_header} (valid signature): ${outcomeText(r2)}${refused ? '' : ' — expected 401 or 403'}`],
    });

    // A real event again, same webhook-id and body: the integration must answer 2xx and not act twice.
    const full = placed.find((p) => p.scenario.id === 'FULL' && p.orderId);
    const original = full ? await deliveredOrderEvent(ctx.db, endpoint.id, full.orderId!, 'RECEIVED') : undefined;
    const replay = original ?? testEvent('Certification: redelivered');
    const before = full ? (await listOrderEvents(ctx.db, full.orderId!)).length : 0;
    const a = await send(replay.eventId, replay.body);
    const b = await send(replay.eventId, replay.body);
    await sleep(1000);
    const after = full ? (await listOrderEvents(ctx.db, full.orderId!)).length : 0;
    checks.push({
      id: 'WEBHOOK_REDELIVERY',
      group: 'webhooks',
      title: WEBHOOK_CHECKS.WEBHOOK_REDELIVERY!,
      pass: ok(a) && ok(b) && after === before,
      evidence: [
        `${original ? `RECEIVED event ${original.eventId} of order ${full!.orderCode}` : 'a TEST event'} sent twice more with the same webhook-id: ${outcomeText(a)}, ${outcomeText(b)}`,
        after === before ? 'the order did not change' : `the order changed ${after - before} time(s) after the redelivery`,
      ],
    });

    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: burst }, (_, i) => testEvent(`Certification: burst ${i + 1}/${burst}`)).map((e) => send(e.eventId, e.body)));
    const wall = performance.now() - t0;
    const good = results.filter(ok).length;
    const last = testEvent('Certification: after the burst');
    const r4 = await send(last.eventId, last.body);
    const statuses = [...new Set(results.filter((r) => !ok(r)).map(outcomeText))].slice(0, 3);
    checks.push({
      id: 'WEBHOOK_BURST',
      group: 'webhooks',
      title: WEBHOOK_CHECKS.WEBHOOK_BURST!,
      pass: good === burst && ok(r4),
      evidence: [
        `${burst} TEST events at once: ${good}/${burst} answered 2xx within the timeout in ${Math.round(wall)} ms (slowest ${Math.round(Math.max(...results.map((r) => r.durationMs)))} ms)${statuses.length ? `; others: ${statuses.join(', ')}` : ''}`,
        `one more after the burst: ${outcomeText(r4)}`,
      ],
    });
  } finally {
    await agent.close();
  }
  return checks;
}
