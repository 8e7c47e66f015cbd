import { Type, type Static } from 'typebox';

/**
 * "A silent failure is the worst answer" (partner-api.md §9): a job that refused rows names them in
 * its status and in its completion webhook — the first REFUSED_ROWS_LISTED, then the results URL.
 */
export const REFUSED_ROWS_LISTED = 1000;

export const RefusedRowSchema = Type.Object(
  {
    row: Type.Optional(Type.Integer({ description: '1-based input row (file line for SFTP files)' })),
    sku: Type.String(),
    barcode: Type.Optional(Type.String()),
    vendor: Type.Optional(Type.String({ description: 'the store the refusal concerns (multi-vendor rows, promotions)' })),
    code: Type.String({ description: 'the row result code: SKU_NOT_FOUND, INVALID_PRICE, MISSING_SKU, …' }),
    message: Type.String(),
  },
  { $id: 'RefusedRow', title: 'RefusedRow' },
);
export type RefusedRow = Static<typeof RefusedRowSchema>;

/** The refusal fields of a job status and of its completion webhook. */
export interface RefusedRows {
  refused_rows: RefusedRow[];
  /** How many rows were refused in all (refused_rows has the first REFUSED_ROWS_LISTED). */
  refused_count: number;
  refused_rows_truncated: boolean;
}

export const REFUSED_ROWS_FIELDS = {
  refused_rows: Type.Array(RefusedRowSchema, { description: `the refused rows themselves, the first ${REFUSED_ROWS_LISTED} (the results URL has them all)` }),
  refused_count: Type.Integer({ description: 'rows refused in all' }),
  refused_rows_truncated: Type.Boolean({ description: `true when more than ${REFUSED_ROWS_LISTED} rows were refused` }),
};
