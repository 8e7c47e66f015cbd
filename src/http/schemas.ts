import { Type } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable, see the error catalogue' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

/** Response schemas for the error statuses a route can answer, so they are documented and serialised. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const s of [400, ...statuses]) out[s] = ErrorBody;
  return out;
}

export const ChainParams = Type.Object({ chain_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ChainVendorParams = Type.Object({
  chain_id: Type.String({ minLength: 1, maxLength: 64 }),
  vendor_id: Type.String({ minLength: 1, maxLength: 64, description: 'platform code or external id' }),
});

export const bearerSecurity = [{ bearerAuth: [] }];
export const operatorSecurity = [{ operatorKey: [] }];
export const sessionSecurity = [{ portalSession: [] }];
