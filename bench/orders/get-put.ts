/**
 * GET order and PUT order (READY_FOR_PICKUP, one line's quantity changed) against their ceilings:
 * `comanda serve --roles api` and bench/orders/ceiling.ts each in its own process on identical copies
 * of one database (N orders, all RECEIVED), the load generator in a third; A B A B after a warm-up.
 */
import path from 'node:path';
import { abab, type Side } from '../lib/measure.js';
import { spawnNode, startComanda, waitReady } from '../lib/processes.js';
import { log } from '../lib/report.js';
import { comandaEnv, seedOrdersDb } from './seed.js';

export interface OrdersBenchOptions {
  db: string;
  only: ReadonlySet<string>;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  orders: number;
  rounds: number;
  /** Extra node flags for the comanda server (e.g. --cpu-prof). */
  serverFlags: string[];
}

/** Orders GET reads cycle over (a hot set, like partners polling recent orders). */
const GET_SET = 5000;

export async function benchGetPut(o: OrdersBenchOptions): Promise<void> {
  const seeded = await seedOrdersDb(o.orders);
  const comanda = await startComanda({ roles: 'api', env: comandaEnv(seeded.config), nodeFlags: o.serverFlags });
  const ceilingProc = spawnNode({ name: 'ceiling', args: [path.join(path.dirname(new URL(import.meta.url).pathname), 'ceiling.ts'), seeded.ceilingDb] });
  try {
    const ceilingUrl = await waitReady(ceilingProc);
    const auth = { authorization: `Bearer ${seeded.token}` };
    const orderPath = `/v2/chains/${seeded.chainId}/orders/{id}`;
    if (o.only.has('get')) {
      const getIds = seeded.ids.slice(0, GET_SET);
      const side = (name: string, server: Side['server'], url: string): Side => ({
        side: name,
        server,
        load: () => ({ url, connections: o.connections, seconds: o.seconds, method: 'GET', path: orderPath, headers: auth, ids: getIds }),
      });
      await abab({ bench: 'get', db: o.db, a: side('ceiling', ceilingProc, ceilingUrl), b: side('comanda', comanda, comanda.url), rounds: o.rounds, warmupSeconds: o.warmupSeconds });
    }
    if (o.only.has('put')) {
      // Each PUT fulfils another RECEIVED order; the GET set is left alone.
      const putIds = seeded.ids.slice(GET_SET);
      const body = JSON.stringify({ order_id: '{id}', status: 'READY_FOR_PICKUP', items: [{ _id: seeded.lineId, status: 'IN_CART', pricing: { quantity: 1 } }] });
      const side = (name: string, server: Side['server'], url: string): Side => ({
        side: name,
        server,
        load: (startAt) => ({ url, connections: o.connections, seconds: o.seconds, method: 'PUT', path: orderPath, headers: { ...auth, 'content-type': 'application/json' }, body, ids: putIds, startAt, cycle: false }),
      });
      const needed = (o.rounds * o.seconds + o.warmupSeconds) * 4000;
      if (putIds.length < needed) log(`put: ${putIds.length} orders may run out at > ${Math.round(putIds.length / (o.rounds * o.seconds + o.warmupSeconds))} req/s; raise --orders`);
      await abab({ bench: 'put', db: o.db, a: side('ceiling', ceilingProc, ceilingUrl), b: side('comanda', comanda, comanda.url), rounds: o.rounds, warmupSeconds: o.warmupSeconds, consumesIds: true });
    }
  } finally {
    await comanda.stop();
    await ceilingProc.stop();
    await seeded.drop();
  }
}
