import { describe, expect, it } from 'vitest';
import { JOB_HANDLERS } from '../../src/jobs-list.js';
import { WEBHOOK_EVENTS } from '../../src/orders/order-events.js';
import { DEFAULT_ENDPOINT_EVENTS } from '../../src/webhooks/event-types.js';
import { DEFAULT_EVENTS, JOB_EVENTS, ORDER_EVENTS, PELICAN_EVENTS } from './webhook-events';

describe('the webhook event picker', () => {
  it('offers exactly the order events some store type sends (UPDATE_CART never is)', () => {
    const sent = new Set([...WEBHOOK_EVENTS.DIRECT_POS, ...WEBHOOK_EVENTS.INDIRECT_POS]);
    expect([...ORDER_EVENTS].sort()).toEqual([...sent].sort());
    expect(ORDER_EVENTS).not.toContain('UPDATE_CART');
    expect([...PELICAN_EVENTS].sort()).toEqual([...WEBHOOK_EVENTS.INDIRECT_POS].sort());
  });

  it('offers exactly the completion events of the job types, and starts from the server default', () => {
    const completions = new Set(JOB_HANDLERS.map((h) => h.completionEvent));
    expect([...JOB_EVENTS].sort()).toEqual([...completions].sort());
    expect([...DEFAULT_EVENTS].sort()).toEqual([...DEFAULT_ENDPOINT_EVENTS].sort());
  });
});
