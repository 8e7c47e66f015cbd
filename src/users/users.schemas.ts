import { Type, type Static } from 'typebox';

export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('staff')]);

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    is_operator: Type.Boolean(),
    memberships: Type.Array(Type.Object({ chain_id: Type.String(), role: RoleSchema })),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'User', title: 'User' },
);
export type User = Static<typeof User>;

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    password: Type.String({ maxLength: 200, description: 'at least 12 characters, not a common password (else 400 PASSWORD_TOO_WEAK)' }),
    role: Type.Optional(RoleSchema),
    is_operator: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;
