import { Type, type Static } from 'typebox';

const PublicKeyLine = Type.String({ minLength: 20, maxLength: 16_384, description: 'OpenSSH public key line, e.g. `ssh-ed25519 AAAA… comment`' });

export const SftpPublicKey = Type.Object({
  type: Type.String({ example: 'ssh-ed25519' }),
  fingerprint: Type.String({ description: 'SHA256:… as printed by ssh-keygen -lf' }),
  comment: Type.String(),
});

export const SftpLogin = Type.Object(
  {
    chain_id: Type.String(),
    username: Type.String(),
    host: Type.String(),
    port: Type.Integer(),
    password_set: Type.Boolean(),
    public_keys: Type.Array(SftpPublicKey),
    disabled: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    last_login_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'SftpLogin', title: 'SftpLogin' },
);
export type SftpLogin = Static<typeof SftpLogin>;

export const CreatedSftpLogin = Type.Object({
  ...SftpLogin.properties,
  password: Type.Optional(Type.String({ description: 'only when the platform generated it; shown once' })),
});
export type CreatedSftpLogin = Static<typeof CreatedSftpLogin>;

export const CreateSftpLoginBody = Type.Object(
  {
    password: Type.Optional(Type.String({ maxLength: 200, description: 'at least 12 characters, not a common password (else 400 PASSWORD_TOO_WEAK); omit both password and public_keys to have one generated' })),
    public_keys: Type.Optional(Type.Array(PublicKeyLine, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type CreateSftpLoginBody = Static<typeof CreateSftpLoginBody>;

export const UpdateSftpLoginBody = Type.Object(
  {
    password: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'at least 12 characters, not a common password (else 400 PASSWORD_TOO_WEAK); null removes password login' })),
    public_keys: Type.Optional(Type.Array(PublicKeyLine, { maxItems: 20, description: 'replaces the list' })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateSftpLoginBody = Static<typeof UpdateSftpLoginBody>;
