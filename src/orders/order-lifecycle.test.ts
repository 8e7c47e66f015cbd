import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { cancelledByOf, nextActions, resolveTransition, type Action, type Actor } from './order-lifecycle.js';
import type { OrderStatus, TransportType } from './orders.model.js';

function code(status: OrderStatus, transport: TransportType, action: Action, actor: Actor = 'PARTNER', extra: object = {}): string {
  try {
    resolveTransition({ status, transport_type: transport }, action, actor, { hasItems: false, acceptedFor: '2026-01-01T00:00:00Z', cancellationReason: 'OTHER', ...extra });
    return 'OK';
  } catch (err) {
    return (err as AppError).code;
  }
}

describe('order lifecycle table', () => {
  it('logistics delivery: partner fulfils, rider dispatches, platform delivers', () => {
    expect(code('RECEIVED', 'LOGISTICS_DELIVERY', 'READY_FOR_PICKUP', 'PARTNER', { acceptedFor: null })).toBe('OK');
    expect(code('READY_FOR_PICKUP', 'LOGISTICS_DELIVERY', 'DISPATCHED', 'PLATFORM')).toBe('OK');
    expect(code('DISPATCHED', 'LOGISTICS_DELIVERY', 'DELIVERED', 'PLATFORM')).toBe('OK');
    expect(code('RECEIVED', 'LOGISTICS_DELIVERY', 'DISPATCHED', 'PARTNER', { acceptedFor: null })).toBe('STATUS_NOT_ALLOWED_FOR_TRANSPORT');
    expect(code('RECEIVED', 'LOGISTICS_DELIVERY', 'ACCEPTED')).toBe('STATUS_NOT_ALLOWED_FOR_TRANSPORT');
  });
  it('vendor delivery: optional ACCEPTED (needs accepted_for), partner dispatches; READY_FOR_PICKUP refused', () => {
    expect(code('RECEIVED', 'VENDOR_DELIVERY', 'ACCEPTED')).toBe('OK');
    expect(code('RECEIVED', 'VENDOR_DELIVERY', 'ACCEPTED', 'PARTNER', { acceptedFor: null })).toBe('ACCEPTED_FOR_REQUIRED');
    expect(code('ACCEPTED', 'VENDOR_DELIVERY', 'DISPATCHED', 'PARTNER', { acceptedFor: null })).toBe('OK');
    expect(code('RECEIVED', 'VENDOR_DELIVERY', 'DISPATCHED', 'PARTNER', { acceptedFor: null })).toBe('OK');
    expect(code('RECEIVED', 'VENDOR_DELIVERY', 'READY_FOR_PICKUP', 'PARTNER', { acceptedFor: null })).toBe('STATUS_NOT_ALLOWED_FOR_TRANSPORT');
    expect(code('ACCEPTED', 'VENDOR_DELIVERY', 'ACCEPTED')).toBe('INVALID_STATUS_TRANSITION');
  });
  it('cancel from any state before DISPATCHED, never after; reason required', () => {
    for (const s of ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP'] as const) expect(code(s, 'LOGISTICS_DELIVERY', 'CANCELLED', 'PARTNER', { acceptedFor: null })).toBe('OK');
    for (const s of ['DISPATCHED', 'DELIVERED', 'CANCELLED'] as const) expect(code(s, 'VENDOR_DELIVERY', 'CANCELLED', 'PARTNER', { acceptedFor: null })).toBe('INVALID_STATUS_TRANSITION');
    expect(code('RECEIVED', 'VENDOR_DELIVERY', 'CANCELLED', 'PARTNER', { acceptedFor: null, cancellationReason: null })).toBe('CANCELLATION_REASON_REQUIRED');
  });
  it('the table says whose cancellation it is: the partner’s and the picker’s are the vendor’s', () => {
    const cancel = (actor: Actor) => cancelledByOf(resolveTransition({ status: 'RECEIVED', transport_type: 'LOGISTICS_DELIVERY' }, 'CANCELLED', actor, { hasItems: false, cancellationReason: 'OTHER' }), actor);
    expect(cancel('PARTNER')).toBe('VENDOR');
    expect(cancel('PICKER')).toBe('VENDOR');
    expect(cancel('PLATFORM')).toBe('PLATFORM');
  });
  it('item edits are refused once the cart is closed', () => {
    for (const s of ['READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const) {
      expect(code(s, 'LOGISTICS_DELIVERY', 'UPDATE_CART', 'PARTNER', { acceptedFor: null, hasItems: true })).toBe('ORDER_NOT_EDITABLE');
    }
    expect(code('RECEIVED', 'LOGISTICS_DELIVERY', 'UPDATE_CART', 'PARTNER', { acceptedFor: null, hasItems: true })).toBe('OK');
  });
  it('partners cannot deliver, the platform cannot fulfil', () => {
    expect(code('DISPATCHED', 'VENDOR_DELIVERY', 'DELIVERED', 'PARTNER')).toBe('INVALID_STATUS_TRANSITION');
    expect(nextActions('RECEIVED', 'LOGISTICS_DELIVERY', 'PLATFORM')).toEqual(['CANCELLED']);
    expect(nextActions('RECEIVED', 'VENDOR_DELIVERY', 'PARTNER').sort()).toEqual(['ACCEPTED', 'CANCELLED', 'DISPATCHED', 'UPDATE_CART']);
  });
});
