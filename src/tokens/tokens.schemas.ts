import { Type, type Static } from 'typebox';

export const MAX_ACTIVE_TOKENS = 11;

export const TokenEnvironment = Type.Union([Type.Literal('live'), Type.Literal('test')], {
  description: 'live tokens start with cmd_live_, sandbox tokens with cmd_test_ and reach only test stores',
});

export const ApiToken = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    chain_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    environment: TokenEnvironment,
    display_prefix: Type.String({ description: 'the first characters of the secret, to recognise it' }),
    last4: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    created_by: Type.String(),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  },
  { $id: 'ApiToken', title: 'ApiToken' },
);
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Object({
  token: ApiToken,
  secret: Type.String({ description: 'shown once, now; only a hash is stored' }),
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'what the token is for, e.g. "Order management"' }),
    environment: Type.Optional(TokenEnvironment),
    expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'our extension; tokens never expire by default' })),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;
