import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import type { PartnerPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { sha256 } from '../platform/secrets.js';
import { utcIso } from '../platform/utc-time.js';
import { applyCartEdits, newLineSkus } from './cart-rules.js';
import { findListings } from './catalog-lookup.js';
import { cancelledByOf, resolveTransition, type Actor } from './order-lifecycle.js';
import { minorDigits } from '../platform/money.js';
import { applyPromotionCaps, assertPromotionItemLimits, attachPromotions, repriceLine } from './line-promotions.js';
import { effectivePromotions } from '../promotions/index.js';
import type { Order } from './orders.model.js';
import { findIdempotencyKey, insertIdempotencyKey } from './orders.repository.js';
import { findOrderWithVendorForUpdate } from './order-writes.repository.js';
import type { PutItem, PutOrderBody } from './orders.schemas.js';
import { partnerMaySee } from '../platform/access.js';
import { commitOrderChange } from './orders.service.js';

/** Canonical JSON (sorted keys) so the same body hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface CartChangeInput {
  status: PutOrderBody['status'];
  items?: PutItem[];
  acceptedFor?: string;
  cancellationReason?: string;
}

/**
 * The one rules engine for a status change with item edits (partner PUT and the Pelican picker):
 * asks the lifecycle table, applies the cart rules, and returns the next order (not yet stored).
 */
export async function planCartChange(ctx: AppContext, trx: Trx, order: Order, locale: string, input: CartChangeInput, actor: Actor): Promise<Order> {
  const items = input.items ?? [];
  const t = resolveTransition(order, input.status, actor, {
    hasItems: items.length > 0,
    acceptedFor: input.acceptedFor ?? null,
    cancellationReason: input.cancellationReason ?? null,
  });
  const next: Order = { ...order, status: t.to ?? order.status };
  if (t.items !== 'none') {
    const skus = newLineSkus(order.lines, items);
    // Inside the caller's transaction: on SQLite the transaction holds the only connection.
    const listings = skus.length ? await findListings(trx, order.vendor_id, skus) : new Map();
    const digits = minorDigits(order.currency);
    next.lines = applyCartEdits(order.lines, items, {
      listings,
      weightTolerancePercent: ctx.config.orderWeightTolerancePercent,
      locale,
      digits,
      finalize: t.items === 'finalize',
    });
    // New lines get the promotions running now; every line follows its picked quantity / weight
    // (a bundle's discount shrinks with fewer units); max_items_per_order holds for the new cart.
    const fresh = next.lines.filter((l) => l.added && l.list_price === undefined);
    if (fresh.length) attachPromotions(fresh, await effectivePromotions(trx, order.vendor_id, fresh.map((l) => l.sku), ctx.clock.now(), locale), digits);
    for (const line of next.lines) repriceLine(line, digits);
    applyPromotionCaps(next.lines, digits);
    assertPromotionItemLimits(next.lines, (i) => {
      const sent = items.findIndex((e) => e._id === next.lines[i]!.id || (e.sku === next.lines[i]!.sku && !e._id));
      return sent >= 0 ? `body.items[${sent}]` : `items[${i}]`;
    });
  }
  if (input.status === 'ACCEPTED') next.accepted_for = utcIso(input.acceptedFor!);
  if (input.status === 'CANCELLED') next.cancellation = { reason: input.cancellationReason!, cancelled_by: cancelledByOf(t, actor) };
  return next;
}

export interface PutResult {
  statusCode: number;
  /** The updated order object as JSON text. */
  json: string;
  replayed: boolean;
  /** Fields of the body that were accepted but had no effect (for Comanda-Ignored-Fields). */
  ignored: string[];
}

/**
 * What existing clients send that the rules accept and leave without effect (partner-api.md §3.3):
 * items and cancelled_by with CANCELLED (the cancellation is the vendor's, the lines stay as they
 * were), and the pricing of a NOT_PROCESSED item (the line is not touched).
 */
export function partnerPutChange(body: PutOrderBody): { items: PutItem[] | undefined; ignored: string[] } {
  const ignored: string[] = [];
  if (body.status === 'CANCELLED') {
    if (body.items !== undefined) ignored.push('body.items');
    if (body.cancellation?.cancelled_by !== undefined) ignored.push('body.cancellation.cancelled_by');
    return { items: undefined, ignored };
  }
  body.items?.forEach((item, i) => {
    if (item.status === 'NOT_PROCESSED' && item.pricing !== undefined) ignored.push(`body.items[${i}].pricing`);
  });
  return { items: body.items, ignored };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT'));
}

/**
 * PUT /v2/chains/{chain_id}/orders/{order_id}. The order row is locked for the whole change
 * (Postgres FOR UPDATE; SQLite's single writer), so concurrent PUTs run one after the other and
 * the second sees the first's result — never a lost update. Refusals change nothing.
 */
export async function putPartnerOrder(
  ctx: AppContext,
  principal: PartnerPrincipal,
  orderId: string,
  body: PutOrderBody,
  actorName: string,
  idempotencyKey?: string,
): Promise<PutResult> {
  if (body.order_id !== undefined && body.order_id !== orderId) throw new AppError('ORDER_ID_MISMATCH', `body.order_id "${body.order_id}" is not the order in the path`);
  const change = partnerPutChange(body);
  // Hashing the body costs; only a request that carries a key needs it.
  const requestHash = idempotencyKey ? sha256(canonical({ order_id: orderId, body })) : '';
  const attempt = () =>
    ctx.db.transaction().execute(async (trx): Promise<PutResult> => {
      // The order and its vendor in one statement, the order row locked.
      const found = await findOrderWithVendorForUpdate(trx, ctx.dialect, orderId);
      if (!found || !partnerMaySee(principal, found.order)) throw new AppError('ORDER_NOT_FOUND');
      const { order, vendor } = found;
      if (idempotencyKey) {
        const seen = await findIdempotencyKey(trx, principal.chainId, idempotencyKey);
        if (seen) {
          if (seen.request_hash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
          return { statusCode: seen.status_code, json: JSON.stringify(seen.response), replayed: true, ignored: change.ignored };
        }
      }
      if (vendor.integration_type === 'INDIRECT_POS') throw new AppError('INDIRECT_POS_READ_ONLY');
      const next = await planCartChange(ctx, trx, order, vendor.locale, {
        status: body.status,
        items: change.items,
        acceptedFor: body.accepted_for,
        cancellationReason: body.cancellation?.reason,
      }, 'PARTNER');
      const saved = await commitOrderChange(ctx, trx, vendor, next, {
        type: body.status,
        actor: actorName,
        previous: order,
        sequenceLocked: found.sequenceLocked,
        details: body.status === 'CANCELLED' ? { reason: body.cancellation?.reason } : { items: body.items?.length ?? 0 },
      });
      if (idempotencyKey) {
        await insertIdempotencyKey(trx, {
          chain_id: principal.chainId,
          key: idempotencyKey,
          order_id: orderId,
          request_hash: requestHash,
          status_code: 200,
          response: saved.rendered,
          created_at: ctx.clock.now().toISOString(),
        });
      }
      return { statusCode: 200, json: saved.json, replayed: false, ignored: change.ignored };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two first uses of one key on different orders raced: the loser now sees the winner's key.
    if (idempotencyKey && isUniqueViolation(err)) return attempt();
    throw err;
  }
}
