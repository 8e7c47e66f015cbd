import { Type, type Static } from 'typebox';

export const OauthClient = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    chain_id: Type.String({ format: 'uuid' }),
    client_id: Type.String(),
    name: Type.String(),
    secret_last4: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    created_by: Type.String(),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'OauthClient', title: 'OauthClient' },
);
export type OauthClient = Static<typeof OauthClient>;

export const CreatedOauthClient = Type.Object({
  client: OauthClient,
  client_secret: Type.String({ description: 'shown once, now; only a hash is stored' }),
});

export const CreateOauthClientBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});

/** RFC 6749 §5.2 error body — this route answers in the OAuth shape, not ours, for client compatibility. */
export const OauthErrorBody = Type.Object({ error: Type.String(), error_description: Type.String() });
