import { Type, type Static } from 'typebox';

export const INTEGRATION_TYPES = ['DIRECT_POS', 'INDIRECT_POS'] as const;
export const IntegrationType = Type.Union([Type.Literal('DIRECT_POS'), Type.Literal('INDIRECT_POS')], {
  description: 'DIRECT_POS = Partner Picking (partner picks, writes with PUT); INDIRECT_POS = Pelican Picking (platform picking app)',
});
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const Vendor = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    chain_id: Type.String({ format: 'uuid' }),
    code: Type.String({ description: 'platform code, e.g. s8ym; always accepted in paths' }),
    external_id: Type.Union([Type.String(), Type.Null()], { description: "the partner's own store id, usable in paths once mapped" }),
    name: Type.String(),
    integration_type: IntegrationType,
    is_test: Type.Boolean(),
    time_zone: Type.String(),
    currency: Type.String(),
    country_code: Type.String(),
    locale: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Vendor', title: 'Vendor' },
);
export type Vendor = Static<typeof Vendor>;

const ExternalId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });

export const CreateVendorBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    integration_type: Type.Optional(IntegrationType),
    is_test: Type.Optional(Type.Boolean()),
    external_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    country_code: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2}_[A-Z]{2}$' })),
    code: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9]{3,7}$', description: 'generated when omitted' })),
  },
  { additionalProperties: false },
);
export type CreateVendorBody = Static<typeof CreateVendorBody>;

export const UpdateVendorBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    integration_type: Type.Optional(IntegrationType),
    is_test: Type.Optional(Type.Boolean()),
    external_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateVendorBody = Static<typeof UpdateVendorBody>;
