import { Type, type Static } from 'typebox';

export const Chain = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    country_code: Type.String(),
    currency: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Chain', title: 'Chain' },
);
export type Chain = Static<typeof Chain>;

export const CreateChainBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country_code: Type.String({ pattern: '^[A-Z]{2}$', default: 'AR', description: 'ISO 3166-1 alpha-2' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'ARS', description: 'ISO 4217' }),
  },
  { additionalProperties: false },
);
export type CreateChainBody = Static<typeof CreateChainBody>;
