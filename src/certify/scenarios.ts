import type { IntakeBody, ListedProduct, Order, OrderLine, OrderTimelineEntry, TransportType } from '../orders/index.js';

/** The mandatory scenarios of the homologation meeting, one test order each. */
export const SCENARIO_IDS = ['FULL', 'PARTIAL', 'MODIFY', 'WEIGHT', 'REPLACEMENT', 'ADDITION', 'UPDATE_CART', 'CANCEL', 'VENDOR_DELIVERY'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface Localized {
  es: string;
  en: string;
}

/** The products a scenario's basket is built from: two unit products and one sold by weight of the test store. */
export interface BasketParts {
  units: ListedProduct[];
  weighted: ListedProduct | undefined;
}

export interface CheckOutcome {
  pass: boolean;
  evidence: string[];
}

export interface Scenario {
  id: ScenarioId;
  title: Localized;
  /** What the partner's integration must do with this order: also written in the order's comment. */
  instruction: Localized;
  transport: TransportType;
  /** Undefined when the test store lacks the products the scenario needs (the check fails, saying so). */
  basket(parts: BasketParts): IntakeBody['items'] | undefined;
  check(order: Order, timeline: OrderTimelineEntry[], weightTolerancePercent: number): CheckOutcome;
}

/** The order's comment: `CERT:<scenario> …`; integrations (and examples/partner-picker) read the tag. */
export function scenarioComment(s: Scenario): string {
  return `CERT:${s.id} Homologación: ${s.instruction.es} / Certification: ${s.instruction.en}`;
}

/** The scenario a certification order's comment names, if any. */
export function scenarioOfComment(comment: string): ScenarioId | undefined {
  const m = /^CERT:([A-Z_]+)/.exec(comment);
  return m && (SCENARIO_IDS as readonly string[]).includes(m[1]!) ? (m[1] as ScenarioId) : undefined;
}

const kg = (grams: number | null) => `${((grams ?? 0) / 1000).toFixed(3)} kg`;
const describe = (l: OrderLine) => `${l.sku} ${l.status}${l.pricing_type === 'KG' ? ` ${kg(l.grams)} (ordered ${kg(l.original.grams)})` : ` ×${l.quantity} (ordered ${l.original.quantity})`}${l.replaced_id ? ` replaces ${l.replaced_id}` : ''}`;
const unitQty = (p: ListedProduct, want: number) => Math.max(1, Math.min(want, p.maximum_sales_quantity ?? want));

function fulfilment(order: Order, timeline: OrderTimelineEntry[]): { entry: OrderTimelineEntry | undefined; evidence: string[] } {
  const status = order.transport_type === 'VENDOR_DELIVERY' ? 'DISPATCHED' : 'READY_FOR_PICKUP';
  const entry = timeline.find((e) => e.type === status);
  const received = timeline.find((e) => e.type === 'RECEIVED');
  const evidence = [`timeline: ${timeline.map((e) => `${e.type} (${e.actor})`).join(' → ')}`];
  if (entry && received) evidence.push(`${status} ${((Date.parse(entry.created_at) - Date.parse(received.created_at)) / 1000).toFixed(1)} s after RECEIVED`);
  else if (!entry) evidence.push(`no ${status}: the order is ${order.status}`);
  return { entry, evidence };
}

/** Checks common to fulfilled orders, then the scenario's own condition on the picked lines. */
function fulfilled(cond: (order: Order, timeline: OrderTimelineEntry[], tolerance: number) => { ok: boolean; why: string }) {
  return (order: Order, timeline: OrderTimelineEntry[], tolerance: number): CheckOutcome => {
    const f = fulfilment(order, timeline);
    const evidence = [...f.evidence, `lines: ${order.lines.map(describe).join('; ')}`];
    if (!f.entry) return { pass: false, evidence };
    const r = cond(order, timeline, tolerance);
    evidence.push(r.why);
    return { pass: r.ok, evidence };
  };
}

const original = (o: Order) => o.lines.filter((l) => !l.added);

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'FULL',
    title: { es: 'Preparación completa', en: 'Full fulfilment' },
    instruction: { es: 'prepare todas las líneas tal como se pidieron y pase a READY_FOR_PICKUP', en: 'pick every line as ordered, then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units, weighted }) => [...units.slice(0, 2).map((p, i) => ({ sku: p.sku, quantity: unitQty(p, i === 0 ? 2 : 1) })), ...(weighted ? [{ sku: weighted.sku, weight: 0.75 }] : [])],
    check: fulfilled((o, _t, tolerance) => {
      const wrong = original(o).filter((l) => {
        if (l.status !== 'IN_CART') return true;
        if (l.pricing_type === 'UNIT') return l.quantity !== l.original.quantity;
        const ordered = l.original.grams ?? 0;
        return Math.abs((l.grams ?? 0) - ordered) > (ordered * tolerance) / 100;
      });
      const added = o.lines.filter((l) => l.added);
      if (wrong.length || added.length) return { ok: false, why: `expected every line IN_CART as ordered and nothing added; differs: ${[...wrong, ...added].map((l) => l.sku).join(', ')}` };
      return { ok: true, why: 'every line IN_CART as ordered' };
    }),
  },
  {
    id: 'PARTIAL',
    title: { es: 'Preparación parcial (faltante)', en: 'Partial fulfilment (item not found)' },
    instruction: { es: 'marque al menos una línea NOT_FOUND, prepare las demás y pase a READY_FOR_PICKUP', en: 'mark at least one line NOT_FOUND, pick the others, then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units, weighted }) => [...units.slice(0, 2).map((p) => ({ sku: p.sku, quantity: 1 })), ...(weighted ? [{ sku: weighted.sku, weight: 0.5 }] : [])],
    check: fulfilled((o) => {
      const nf = original(o).filter((l) => l.status === 'NOT_FOUND').length;
      const inCart = original(o).filter((l) => l.status === 'IN_CART').length;
      return { ok: nf >= 1 && inCart >= 1, why: `${nf} line(s) NOT_FOUND, ${inCart} IN_CART (expected at least one of each)` };
    }),
  },
  {
    id: 'MODIFY',
    title: { es: 'Modificar cantidad', en: 'Modify a quantity' },
    instruction: { es: 'prepare menos unidades de las pedidas en una línea (pricing.quantity) y pase a READY_FOR_PICKUP', en: 'pick fewer units than ordered on one line (pricing.quantity), then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units }) => {
      const big = units.find((p) => (p.maximum_sales_quantity ?? 3) >= 3);
      return big ? [{ sku: big.sku, quantity: 3 }, ...units.filter((p) => p !== big).slice(0, 1).map((p) => ({ sku: p.sku, quantity: 1 }))] : undefined;
    },
    check: fulfilled((o) => {
      const less = original(o).filter((l) => l.pricing_type === 'UNIT' && l.status === 'IN_CART' && l.quantity >= 1 && l.quantity < l.original.quantity);
      return { ok: less.length >= 1, why: less.length ? `quantity lowered: ${less.map(describe).join('; ')}` : 'no unit line IN_CART with fewer units than ordered' };
    }),
  },
  {
    id: 'WEIGHT',
    title: { es: 'Cambio de peso', en: 'Weight change' },
    instruction: { es: 'informe el peso real de la línea pesable (distinto del pedido, dentro de la tolerancia) y pase a READY_FOR_PICKUP', en: 'send the actual weight of the weighed line (different from the ordered one, within tolerance), then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units, weighted }) => (weighted ? [{ sku: weighted.sku, weight: 1 }, ...units.slice(0, 1).map((p) => ({ sku: p.sku, quantity: 1 }))] : undefined),
    check: fulfilled((o) => {
      const changed = original(o).filter((l) => l.pricing_type === 'KG' && l.status === 'IN_CART' && l.grams !== l.original.grams);
      return { ok: changed.length >= 1, why: changed.length ? `weight changed: ${changed.map(describe).join('; ')}` : 'no weighed line IN_CART with a weight other than the ordered one' };
    }),
  },
  {
    id: 'REPLACEMENT',
    title: { es: 'Reemplazo', en: 'Replacement' },
    instruction: { es: 'reemplace una línea por otro producto del catálogo (replaced_id) y pase a READY_FOR_PICKUP', en: 'replace one line with another product of the catalog (replaced_id), then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units }) => units.slice(0, 2).map((p) => ({ sku: p.sku, quantity: 1 })),
    check: fulfilled((o) => {
      const pairs = o.lines.filter((l) => l.added && l.replaced_id && o.lines.some((x) => x.id === l.replaced_id && x.status === 'REPLACED'));
      return { ok: pairs.length >= 1, why: pairs.length ? `replacement: ${pairs.map(describe).join('; ')}` : 'no REPLACED line with a new line naming it in replaced_id' };
    }),
  },
  {
    id: 'ADDITION',
    title: { es: 'Agregado', en: 'Addition' },
    instruction: { es: 'agregue un producto que el cliente no pidió (status ADDITION) y pase a READY_FOR_PICKUP', en: 'add a product the customer did not order (status ADDITION), then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units }) => units.slice(0, 1).map((p) => ({ sku: p.sku, quantity: 1 })),
    check: fulfilled((o) => {
      const added = o.lines.filter((l) => l.added && l.status === 'ADDITION');
      return { ok: added.length >= 1, why: added.length ? `added: ${added.map(describe).join('; ')}` : 'no line with status ADDITION' };
    }),
  },
  {
    id: 'UPDATE_CART',
    title: { es: 'UPDATE_CART y luego preparación', en: 'UPDATE_CART, then fulfilment' },
    instruction: { es: 'envíe primero un UPDATE_CART (por ejemplo, una cantidad) y después READY_FOR_PICKUP', en: 'send an UPDATE_CART first (for example a quantity), then READY_FOR_PICKUP' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units }) => units.slice(0, 2).map((p, i) => ({ sku: p.sku, quantity: unitQty(p, i === 0 ? 2 : 1) })),
    check: fulfilled((_o, timeline) => {
      const update = timeline.findIndex((e) => e.type === 'UPDATE_CART');
      const done = timeline.findIndex((e) => e.type === 'READY_FOR_PICKUP');
      return { ok: update >= 0 && update < done, why: update >= 0 ? `UPDATE_CART (version ${timeline[update]!.version}) before READY_FOR_PICKUP (version ${timeline[done]?.version})` : 'no UPDATE_CART before READY_FOR_PICKUP' };
    }),
  },
  {
    id: 'CANCEL',
    title: { es: 'Cancelación por la tienda', en: 'Cancellation by the store' },
    instruction: { es: 'cancele el pedido (status CANCELLED con cancellation.reason, por ejemplo ITEM_UNAVAILABLE)', en: 'cancel the order (status CANCELLED with cancellation.reason, e.g. ITEM_UNAVAILABLE)' },
    transport: 'LOGISTICS_DELIVERY',
    basket: ({ units }) => units.slice(0, 1).map((p) => ({ sku: p.sku, quantity: 1 })),
    check: (o, timeline) => {
      const evidence = [`timeline: ${timeline.map((e) => `${e.type} (${e.actor})`).join(' → ')}`];
      const ok = o.status === 'CANCELLED' && o.cancellation?.cancelled_by === 'VENDOR';
      evidence.push(o.cancellation ? `cancellation: ${o.cancellation.reason} by ${o.cancellation.cancelled_by}` : `the order is ${o.status}, not CANCELLED`);
      return { pass: ok, evidence };
    },
  },
  {
    id: 'VENDOR_DELIVERY',
    title: { es: 'Envío propio: ACCEPTED y DISPATCHED', en: 'Vendor delivery: ACCEPTED, then DISPATCHED' },
    instruction: { es: 'pedido con envío propio: pase a ACCEPTED con accepted_for (hora de entrega) y después a DISPATCHED', en: 'vendor-delivery order: ACCEPTED with accepted_for (the delivery time), then DISPATCHED' },
    transport: 'VENDOR_DELIVERY',
    basket: ({ units }) => units.slice(0, 2).map((p) => ({ sku: p.sku, quantity: 1 })),
    check: fulfilled((_o, timeline) => {
      const accepted = timeline.findIndex((e) => e.type === 'ACCEPTED');
      const dispatched = timeline.findIndex((e) => e.type === 'DISPATCHED');
      return { ok: accepted >= 0 && accepted < dispatched, why: accepted >= 0 ? 'ACCEPTED before DISPATCHED' : 'no ACCEPTED before DISPATCHED' };
    }),
  },
];

/** True once the partner finished with the order (a fulfilment status or a cancellation). */
export function orderSettled(timeline: readonly OrderTimelineEntry[]): boolean {
  return timeline.some((e) => e.type === 'READY_FOR_PICKUP' || e.type === 'DISPATCHED' || e.type === 'CANCELLED');
}
