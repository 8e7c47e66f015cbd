import { AppError, type ErrorCode } from '../platform/errors.js';
import type { CancelledBy, OrderStatus, TransportType } from './orders.model.js';

/** Who asks for a transition. PARTNER = PUT on /v2; PICKER = the Pelican picking app; PLATFORM = storefront, logistics, operator. */
export type Actor = 'PARTNER' | 'PICKER' | 'PLATFORM';
export type Action = 'UPDATE_CART' | 'ACCEPTED' | 'READY_FOR_PICKUP' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';
/** What a transition does with the items: nothing, edits (cart stays open), or edits and closes the cart. */
export type ItemsMode = 'none' | 'edit' | 'finalize';

export interface Transition {
  action: Action;
  from: readonly OrderStatus[];
  /** null: the status does not change (UPDATE_CART). */
  to: OrderStatus | null;
  actors: readonly Actor[];
  transport: readonly TransportType[];
  items: ItemsMode;
  /** Extra checks on the request; each returns the refusal code or null. */
  guards: readonly Guard[];
  /** CANCELLED: whose cancellation it is (`cancellation.cancelled_by`) for each actor that may ask. */
  cancelledBy?: Readonly<Partial<Record<Actor, CancelledBy>>>;
}

export interface GuardInput {
  acceptedFor?: string | null;
  cancellationReason?: string | null;
  hasItems: boolean;
}

export interface Guard {
  code: ErrorCode;
  message: string;
  fails(input: GuardInput): boolean;
}

const BOTH: readonly TransportType[] = ['LOGISTICS_DELIVERY', 'VENDOR_DELIVERY'];
const OPEN_CART: readonly OrderStatus[] = ['RECEIVED', 'ACCEPTED'];

const needsAcceptedFor: Guard = { code: 'ACCEPTED_FOR_REQUIRED', message: 'body.accepted_for is required with status ACCEPTED', fails: (i) => !i.acceptedFor };
const noItems: Guard = { code: 'ITEMS_NOT_ALLOWED', message: 'body.items is not allowed with this status', fails: (i) => i.hasItems };
const needsReason: Guard = { code: 'CANCELLATION_REASON_REQUIRED', message: 'body.cancellation.reason is required with status CANCELLED', fails: (i) => !i.cancellationReason };
const noAcceptedFor: Guard = { code: 'VALIDATION_FAILED', message: 'body.accepted_for is only allowed with status ACCEPTED', fails: (i) => !!i.acceptedFor };

/**
 * The order lifecycle, as data (partner-api.md §3.1):
 *   LOGISTICS_DELIVERY: RECEIVED ─(UPDATE_CART)*─> READY_FOR_PICKUP ─(rider)─> DISPATCHED ─> DELIVERED
 *   VENDOR_DELIVERY:    RECEIVED ─[ACCEPTED]─(UPDATE_CART)*─> DISPATCHED ─> DELIVERED
 *   any state before DISPATCHED ─> CANCELLED
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'UPDATE_CART', from: OPEN_CART, to: null, actors: ['PARTNER', 'PICKER'], transport: BOTH, items: 'edit', guards: [noAcceptedFor] },
  { action: 'ACCEPTED', from: ['RECEIVED'], to: 'ACCEPTED', actors: ['PARTNER'], transport: ['VENDOR_DELIVERY'], items: 'none', guards: [needsAcceptedFor, noItems] },
  { action: 'READY_FOR_PICKUP', from: OPEN_CART, to: 'READY_FOR_PICKUP', actors: ['PARTNER', 'PICKER'], transport: ['LOGISTICS_DELIVERY'], items: 'finalize', guards: [noAcceptedFor] },
  { action: 'DISPATCHED', from: OPEN_CART, to: 'DISPATCHED', actors: ['PARTNER', 'PICKER'], transport: ['VENDOR_DELIVERY'], items: 'finalize', guards: [noAcceptedFor] },
  { action: 'DISPATCHED', from: ['READY_FOR_PICKUP'], to: 'DISPATCHED', actors: ['PLATFORM'], transport: ['LOGISTICS_DELIVERY'], items: 'none', guards: [] },
  { action: 'DELIVERED', from: ['DISPATCHED'], to: 'DELIVERED', actors: ['PLATFORM'], transport: BOTH, items: 'none', guards: [] },
  {
    action: 'CANCELLED',
    from: ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP'],
    to: 'CANCELLED',
    actors: ['PARTNER', 'PICKER', 'PLATFORM'],
    transport: BOTH,
    items: 'none',
    guards: [needsReason, noItems, noAcceptedFor],
    // The partner's and the picker's cancellations are the vendor's; the platform may name another party.
    cancelledBy: { PARTNER: 'VENDOR', PICKER: 'VENDOR', PLATFORM: 'PLATFORM' },
  },
];

/** Statuses in which items may still change. */
export const EDITABLE_STATUSES: ReadonlySet<OrderStatus> = new Set(OPEN_CART);

/**
 * The transition for this request, or the refusal with its stable code: the wrong transport type
 * (e.g. READY_FOR_PICKUP on a vendor-delivery order), the wrong current status, or a failed guard.
 */
export function resolveTransition(
  order: { status: OrderStatus; transport_type: TransportType },
  action: Action,
  actor: Actor,
  input: GuardInput = { hasItems: false },
): Transition {
  const candidates = TRANSITIONS.filter((t) => t.action === action && t.actors.includes(actor));
  const forTransport = candidates.filter((t) => t.transport.includes(order.transport_type));
  if (candidates.length > 0 && forTransport.length === 0) {
    throw new AppError('STATUS_NOT_ALLOWED_FOR_TRANSPORT', `${action} is not allowed for ${order.transport_type} orders`, {
      status: action,
      transport_type: order.transport_type,
    });
  }
  const transition = forTransport.find((t) => t.from.includes(order.status));
  if (!transition) {
    if (input.hasItems && !EDITABLE_STATUSES.has(order.status)) {
      throw new AppError('ORDER_NOT_EDITABLE', `The order is ${order.status}; its items can no longer change`, { current_status: order.status });
    }
    throw new AppError('INVALID_STATUS_TRANSITION', `An order in status ${order.status} cannot move to ${action}`, { current_status: order.status, requested: action });
  }
  for (const g of transition.guards) if (g.fails(input)) throw new AppError(g.code, g.message);
  return transition;
}

/** Who a cancellation through this transition is recorded as, when the actor asks for it (from the table). */
export function cancelledByOf(transition: Transition, actor: Actor): CancelledBy {
  const by = transition.cancelledBy?.[actor];
  if (!by) throw new Error(`lifecycle: ${transition.action} names no cancelled_by for ${actor}`);
  return by;
}

/** Next statuses reachable from `status` for this transport type (used by the portal and docs). */
export function nextActions(status: OrderStatus, transport: TransportType, actor: Actor): Action[] {
  return TRANSITIONS.filter((t) => t.from.includes(status) && t.transport.includes(transport) && t.actors.includes(actor)).map((t) => t.action);
}
