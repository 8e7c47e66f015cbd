import type { Bool, Json, NullableTimestamp, Timestamp } from '../types.js';

/** Tables of the outlets domain (migration 0007_outlets). */
export interface OutletTables {
  vendor_status: VendorStatusTable;
}

export interface VendorStatusTable {
  vendor_id: string;
  status: string;
  closed_until: NullableTimestamp;
  closed_reason: string | null;
  /** Local date (vendor time zone, YYYY-MM-DD) a CLOSED_TODAY applies to. */
  closed_on: string | null;
  /** Weekly schedule: [{ day: 0-6 (0 = Sunday), opens: "HH:MM", closes: "HH:MM" }]; empty = always open. */
  opening_hours: Json;
  checkin_required: Bool;
  /** The opening (local "YYYY-MM-DD HH:MM") the last check-in was for. */
  checkin_opening: string | null;
  checked_in_at: NullableTimestamp;
  updated_at: Timestamp;
  updated_by: string;
}
