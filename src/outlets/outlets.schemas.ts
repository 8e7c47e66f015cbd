import { Type, type Static } from 'typebox';
import { UtcTime } from '../platform/http/schemas.js';

export const STORE_STATUSES = ['OPEN', 'CLOSED_TODAY', 'CLOSED_UNTIL', 'CHECKIN'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];
export const CLOSED_REASONS = [
  'TOO_BUSY_NO_DRIVERS', 'TOO_BUSY_KITCHEN', 'UPDATES_IN_MENU', 'TECHNICAL_PROBLEM', 'CLOSED', 'OTHER', 'BAD_WEATHER', 'HOLIDAY_SPECIAL_DAY',
] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];
export const CLOSED_BECAUSE = ['CLOSED_TODAY', 'CLOSED_UNTIL', 'OUTSIDE_OPENING_HOURS', 'AWAITING_CHECKIN'] as const;

const lit = <const V extends string[]>(values: readonly [...V], description?: string) => Type.Enum(values, description ? { description } : {});
const HHMM = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'HH:MM, vendor local time' });

export const OpeningSlotSchema = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }), opens: HHMM, closes: HHMM },
  { additionalProperties: false },
);

export const StoreStatusView = Type.Object(
  {
    vendor_id: Type.String({ description: 'platform code' }),
    status: lit(STORE_STATUSES),
    closed_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    closed_reason: Type.Union([lit(CLOSED_REASONS), Type.Null()]),
    is_open: Type.Boolean({ description: 'true when the store takes orders right now' }),
    closed_because: Type.Union([lit(CLOSED_BECAUSE), Type.Null()]),
    time_zone: Type.String(),
    opening_hours: Type.Array(OpeningSlotSchema),
    checkin: Type.Object({
      required: Type.Boolean(),
      checked_in_at: Type.Union([Type.String(), Type.Null()]),
      window_minutes: Type.Integer(),
    }),
    updated_at: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'StoreStatus', title: 'StoreStatus' },
);
export type StoreStatusView = Static<typeof StoreStatusView>;

export const PutStoreStatusBody = Type.Object(
  {
    status: lit(STORE_STATUSES),
    closed_until: Type.Optional(UtcTime({ description: 'with CLOSED_UNTIL: a future time; without a zone it is UTC' })),
    closed_reason: Type.Optional(lit(CLOSED_REASONS)),
  },
  { additionalProperties: false },
);
export type PutStoreStatusBody = Static<typeof PutStoreStatusBody>;

export const PutOpeningHoursBody = Type.Object(
  {
    opening_hours: Type.Array(OpeningSlotSchema, { maxItems: 50 }),
    checkin_required: Type.Optional(Type.Boolean({ description: 'store stays closed until the partner sends CHECKIN (up to 30 min before opening)' })),
  },
  { additionalProperties: false },
);
export type PutOpeningHoursBody = Static<typeof PutOpeningHoursBody>;
