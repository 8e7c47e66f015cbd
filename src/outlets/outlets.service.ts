import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { bool, isoOrNull, json, toJson } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import type { Vendor } from '../vendors/index.js';
import { checkinSlot, currentSlot, localTime, openingKey, validateHours, type OpeningSlot } from './opening-hours.js';
import type { ClosedReason, PutOpeningHoursBody, PutStoreStatusBody, StoreStatus, StoreStatusView } from './outlets.schemas.js';
import { parseUtcTime } from '../platform/utc-time.js';

/** Minutes before an opening from which a check-in counts (partner-api.md §6). */
export const CHECKIN_WINDOW_MINUTES = 30;

interface StoredStatus {
  status: StoreStatus;
  closed_until: string | null;
  closed_reason: ClosedReason | null;
  closed_on: string | null;
  opening_hours: OpeningSlot[];
  checkin_required: boolean;
  checkin_opening: string | null;
  checked_in_at: string | null;
  updated_at: string | null;
}

const DEFAULT_STATUS: StoredStatus = {
  status: 'OPEN',
  closed_until: null,
  closed_reason: null,
  closed_on: null,
  opening_hours: [],
  checkin_required: false,
  checkin_opening: null,
  checked_in_at: null,
  updated_at: null,
};

async function loadStatus(db: Executor, vendorId: string): Promise<StoredStatus> {
  const row = await db.selectFrom('vendor_status').selectAll().where('vendor_id', '=', vendorId).executeTakeFirst();
  if (!row) return { ...DEFAULT_STATUS };
  return {
    status: row.status as StoreStatus,
    closed_until: isoOrNull(row.closed_until),
    closed_reason: row.closed_reason as ClosedReason | null,
    closed_on: row.closed_on,
    opening_hours: json<OpeningSlot[]>(row.opening_hours),
    checkin_required: bool(row.checkin_required),
    checkin_opening: row.checkin_opening,
    checked_in_at: isoOrNull(row.checked_in_at),
    updated_at: isoOrNull(row.updated_at),
  };
}

async function saveStatus(db: Executor, vendorId: string, s: StoredStatus, actor: string, now: string): Promise<void> {
  const values = {
    status: s.status,
    closed_until: s.closed_until,
    closed_reason: s.closed_reason,
    closed_on: s.closed_on,
    opening_hours: toJson(s.opening_hours),
    checkin_required: s.checkin_required,
    checkin_opening: s.checkin_opening,
    checked_in_at: s.checked_in_at,
    updated_at: now,
    updated_by: actor,
  };
  await db
    .insertInto('vendor_status')
    .values({ vendor_id: vendorId, ...values })
    .onConflict((oc) => oc.column('vendor_id').doUpdateSet(values))
    .execute();
}

type ClosedBecause = StoreStatusView['closed_because'];

/** Why the store takes no orders at `now`, or null when it is open. */
function closedBecause(s: StoredStatus, vendor: Vendor, now: Date): ClosedBecause {
  const t = localTime(now, vendor.time_zone);
  if (s.status === 'CLOSED_TODAY' && s.closed_on === t.date) return 'CLOSED_TODAY';
  if (s.status === 'CLOSED_UNTIL' && s.closed_until && now.getTime() < Date.parse(s.closed_until)) return 'CLOSED_UNTIL';
  const slot = currentSlot(s.opening_hours, t);
  if (s.opening_hours.length > 0 && !slot) return 'OUTSIDE_OPENING_HOURS';
  if (s.checkin_required && s.checkin_opening !== openingKey(t, slot)) return 'AWAITING_CHECKIN';
  return null;
}

function view(s: StoredStatus, vendor: Vendor, now: Date): StoreStatusView {
  const because = closedBecause(s, vendor, now);
  // A CLOSED_TODAY of an earlier day or a CLOSED_UNTIL in the past has expired: show OPEN.
  const expired = (s.status === 'CLOSED_TODAY' || s.status === 'CLOSED_UNTIL') && because !== s.status;
  return {
    vendor_id: vendor.code,
    status: expired ? 'OPEN' : s.status,
    closed_until: expired ? null : s.closed_until,
    closed_reason: expired ? null : s.closed_reason,
    is_open: because === null,
    closed_because: because,
    time_zone: vendor.time_zone,
    opening_hours: s.opening_hours,
    checkin: { required: s.checkin_required, checked_in_at: s.checked_in_at, window_minutes: CHECKIN_WINDOW_MINUTES },
    updated_at: s.updated_at,
  };
}

/** The store's status as the partner sees it. */
export async function getStoreStatus(ctx: AppContext, vendor: Vendor): Promise<StoreStatusView> {
  return view(await loadStatus(ctx.db, vendor.id), vendor, ctx.clock.now());
}

/** Refuses with VENDOR_CLOSED (naming why) when the store takes no orders right now. */
export async function assertStoreOpen(ctx: AppContext, db: Executor, vendor: Vendor): Promise<void> {
  const because = closedBecause(await loadStatus(db, vendor.id), vendor, ctx.clock.now());
  if (because) throw new AppError('VENDOR_CLOSED', `Store ${vendor.code} is closed (${because}) and takes no orders`, { closed_because: because });
}

/** PUT status: OPEN (inside opening hours only), CLOSED_TODAY, CLOSED_UNTIL, CHECKIN (inside the check-in window). */
export async function putStoreStatus(ctx: AppContext, vendor: Vendor, body: PutStoreStatusBody, actor: string): Promise<StoreStatusView> {
  const now = ctx.clock.now();
  const t = localTime(now, vendor.time_zone);
  if (body.closed_until !== undefined && body.status !== 'CLOSED_UNTIL') {
    throw new AppError('CLOSED_UNTIL_INVALID', 'body.closed_until is only allowed with status CLOSED_UNTIL');
  }
  return ctx.db.transaction().execute(async (trx) => {
    const s = await loadStatus(trx, vendor.id);
    switch (body.status) {
      case 'OPEN': {
        if (s.opening_hours.length > 0 && !currentSlot(s.opening_hours, t)) {
          throw new AppError('OUTSIDE_OPENING_HOURS', `The store opens only inside its opening hours (${vendor.time_zone}); it is ${t.date} ${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')} there`);
        }
        Object.assign(s, { status: 'OPEN', closed_until: null, closed_reason: null, closed_on: null });
        break;
      }
      case 'CLOSED_TODAY':
        Object.assign(s, { status: 'CLOSED_TODAY', closed_until: null, closed_reason: body.closed_reason ?? 'CLOSED', closed_on: t.date });
        break;
      case 'CLOSED_UNTIL': {
        const until = body.closed_until ? parseUtcTime(body.closed_until) : undefined;
        if (!until || until.getTime() <= now.getTime()) throw new AppError('CLOSED_UNTIL_INVALID', 'body.closed_until must be a future time with status CLOSED_UNTIL');
        Object.assign(s, { status: 'CLOSED_UNTIL', closed_until: until.toISOString(), closed_reason: body.closed_reason ?? 'CLOSED', closed_on: null });
        break;
      }
      case 'CHECKIN': {
        if (!s.checkin_required) throw new AppError('CHECKIN_NOT_ENABLED');
        const slot = checkinSlot(s.opening_hours, t, CHECKIN_WINDOW_MINUTES);
        if (s.opening_hours.length > 0 && !slot) throw new AppError('CHECKIN_NOT_OPEN');
        Object.assign(s, { status: 'CHECKIN', closed_until: null, closed_reason: null, closed_on: null, checkin_opening: openingKey(t, slot), checked_in_at: now.toISOString() });
        break;
      }
    }
    await saveStatus(trx, vendor.id, s, actor, now.toISOString());
    await writeAudit(trx, { chainId: vendor.chain_id, actor, action: 'store.status', targetType: 'vendor', targetId: vendor.id, details: { ...body } }, now);
    return view(s, vendor, now);
  });
}

/** PUT opening hours (our extension): the weekly schedule and the check-in switch. */
export async function putOpeningHours(ctx: AppContext, vendor: Vendor, body: PutOpeningHoursBody, actor: string): Promise<StoreStatusView> {
  const problems = validateHours(body.opening_hours);
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems[0], { fields: problems.map((p) => ({ field: p.split(' ')[0], problem: p })) });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const s = await loadStatus(trx, vendor.id);
    s.opening_hours = [...body.opening_hours].sort((a, b) => a.day - b.day || a.opens.localeCompare(b.opens));
    if (body.checkin_required !== undefined) s.checkin_required = body.checkin_required;
    await saveStatus(trx, vendor.id, s, actor, now.toISOString());
    await writeAudit(trx, { chainId: vendor.chain_id, actor, action: 'store.opening_hours', targetType: 'vendor', targetId: vendor.id, details: { ...body } }, now);
    return view(s, vendor, now);
  });
}
