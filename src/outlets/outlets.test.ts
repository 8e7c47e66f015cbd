import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { checkinSlot, localTime } from './opening-hours.js';

describe('store status (GET|PUT /v2/chains/{chain_id}/vendors/{vendor_id}/status)', () => {
  let op: string;
  // Buenos Aires is UTC-3: 12:00Z is 09:00 local, a Monday.
  const clock = new ManualClock('2026-03-02T12:00:00.000Z');

  const s = useTestApp({ chains: { a: 'Outlets A' }, clock });
  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct]);
  });

  const url = () => `/v2/chains/${s.a.chain.id}/vendors/${s.a.direct.code}`;
  const get = async () => (await s.app.inject({ method: 'GET', url: `${url()}/status`, headers: bearer(s.a.token) })).json();
  const put = (body: object) => s.app.inject({ method: 'PUT', url: `${url()}/status`, headers: bearer(s.a.token), payload: body });
  const hours = (body: object) => s.app.inject({ method: 'PUT', url: `${url()}/opening-hours`, headers: bearer(s.a.token), payload: body });
  const intake = () =>
    s.app.inject({ method: 'POST', url: '/platform/v1/orders', headers: bearer(op), payload: { vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', items: [{ sku: 'PAN-LACTAL' }], customer: CUSTOMER } });

  it('local time in the vendor time zone', () => {
    expect(localTime(new Date('2026-03-02T12:00:00Z'), 'America/Argentina/Buenos_Aires')).toEqual({ date: '2026-03-02', day: 1, minutes: 540 });
    expect(checkinSlot([{ day: 1, opens: '09:20', closes: '12:00' }], { date: 'x', day: 1, minutes: 540 }, 30)?.opens).toBe('09:20');
    expect(checkinSlot([{ day: 1, opens: '09:31', closes: '12:00' }], { date: 'x', day: 1, minutes: 540 }, 30)).toBeUndefined();
  });

  it('is open by default (no schedule), and CLOSED_TODAY closes until local midnight', async () => {
    expect(await get()).toMatchObject({ status: 'OPEN', is_open: true, closed_because: null, time_zone: 'America/Argentina/Buenos_Aires', opening_hours: [] });
    const res = await put({ status: 'CLOSED_TODAY', closed_reason: 'BAD_WEATHER' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'CLOSED_TODAY', closed_reason: 'BAD_WEATHER', is_open: false, closed_because: 'CLOSED_TODAY' });
    expect((await intake()).json().error.code).toBe('VENDOR_CLOSED');
    clock.set('2026-03-03T02:59:00.000Z'); // 23:59 local
    expect((await get()).is_open).toBe(false);
    clock.set('2026-03-03T03:01:00.000Z'); // next local day
    expect(await get()).toMatchObject({ status: 'OPEN', is_open: true, closed_reason: null });
    expect((await intake()).statusCode).toBe(201);
  });

  it('CLOSED_UNTIL needs a future closed_until and reopens by itself', async () => {
    clock.set('2026-03-02T12:00:00.000Z');
    expect((await put({ status: 'CLOSED_UNTIL' })).json().error.code).toBe('CLOSED_UNTIL_INVALID');
    expect((await put({ status: 'CLOSED_UNTIL', closed_until: '2026-03-02T11:00:00Z' })).json().error.code).toBe('CLOSED_UNTIL_INVALID');
    expect((await put({ status: 'OPEN', closed_until: '2026-03-02T13:00:00Z' })).statusCode).toBe(400);
    const res = await put({ status: 'CLOSED_UNTIL', closed_until: '2026-03-02T13:00:00Z', closed_reason: 'TECHNICAL_PROBLEM' });
    expect(res.json()).toMatchObject({ status: 'CLOSED_UNTIL', closed_until: '2026-03-02T13:00:00.000Z', is_open: false });
    expect((await put({ status: 'CLOSED_UNTIL', closed_until: '2026-03-02T13:00:00Z', closed_reason: 'SLEEPY' })).statusCode).toBe(400);
    clock.set('2026-03-02T13:00:01.000Z');
    expect((await get()).is_open).toBe(true);
  });

  it('OPEN only inside the opening hours (vendor time zone)', async () => {
    clock.set('2026-03-09T12:00:00.000Z'); // Monday 09:00 local
    const set = await hours({ opening_hours: [{ day: 1, opens: '10:00', closes: '20:00' }, { day: 2, opens: '08:00', closes: '24:00' }] });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ is_open: false, closed_because: 'OUTSIDE_OPENING_HOURS' });
    const early = await put({ status: 'OPEN' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('OUTSIDE_OPENING_HOURS');
    clock.set('2026-03-09T13:30:00.000Z'); // 10:30 local
    expect((await put({ status: 'OPEN' })).json()).toMatchObject({ status: 'OPEN', is_open: true });
    expect((await hours({ opening_hours: [{ day: 1, opens: '10:00', closes: '09:00' }] })).statusCode).toBe(400);
    expect((await hours({ opening_hours: [{ day: 1, opens: '25:00', closes: '26:00' }] })).statusCode).toBe(400);
  });

  it('check-in: store stays closed until CHECKIN, accepted from 30 minutes before opening', async () => {
    clock.set('2026-03-03T10:00:00.000Z'); // Tuesday 07:00 local; opens 08:00
    expect((await hours({ opening_hours: [{ day: 2, opens: '08:00', closes: '24:00' }], checkin_required: true })).statusCode).toBe(200);
    const tooEarly = await put({ status: 'CHECKIN' });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.code).toBe('CHECKIN_NOT_OPEN');
    clock.set('2026-03-03T11:05:00.000Z'); // 08:05 local: open hours, but no check-in
    expect(await get()).toMatchObject({ is_open: false, closed_because: 'AWAITING_CHECKIN' });
    expect((await intake()).json().error.code).toBe('VENDOR_CLOSED');
    clock.set('2026-03-03T10:40:00.000Z'); // 07:40 local: inside the window
    const ok = await put({ status: 'CHECKIN' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'CHECKIN', is_open: false, closed_because: 'OUTSIDE_OPENING_HOURS' });
    clock.set('2026-03-03T11:05:00.000Z');
    expect(await get()).toMatchObject({ is_open: true, checkin: { required: true, checked_in_at: '2026-03-03T10:40:00.000Z' } });
    expect((await intake()).statusCode).toBe(201);
    // Next Tuesday needs a new check-in.
    clock.set('2026-03-10T11:05:00.000Z');
    expect((await get()).closed_because).toBe('AWAITING_CHECKIN');
    // Without the feature, CHECKIN is refused.
    await hours({ opening_hours: [], checkin_required: false });
    expect((await put({ status: 'CHECKIN' })).json().error.code).toBe('CHECKIN_NOT_ENABLED');
  });

  it('writes audit rows for status and opening-hours changes', async () => {
    const rows = await s.ctx.db.selectFrom('audit_log').select('action').where('chain_id', '=', s.a.chain.id).execute();
    const actions = rows.map((r) => r.action);
    expect(actions).toContain('store.status');
    expect(actions).toContain('store.opening_hours');
  });
});
