// `npm run lint`. Syntax-level rules only (no type information): `npm run typecheck` already runs the
// type checker over the same files, and this keeps lint to seconds.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated from the OpenAPI document (packages/partner-sdk/scripts/generate-types.mjs).
    ignores: ['**/node_modules/**', '**/dist/**', 'packages/partner-sdk/src/generated/**'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'web/src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'examples/*/src/**/*.ts', 'examples/*/test/**/*.ts', 'scripts/**/*.mjs', 'packages/*/scripts/**/*.mjs', 'bin/**/*.js', '*.config.{js,ts}', 'web/*.config.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a parameter kept for its position, or a property destructured away
      // so that the rest object goes without it (`const { date: _date, ...headers } = …`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON response bodies and documents as `any` to assert on them field by field.
    files: ['**/*.test.ts', 'src/test-support/**', 'test/**', 'packages/*/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Migrations take `Kysely<any>`: they must keep working whatever the current schema's types say.
    files: ['src/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The portal: the two classic hook rules (order of hooks, effect dependencies), which its
    // `eslint-disable` comments already refer to.
    files: ['web/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs['recommended-latest']],
    languageOptions: { globals: { ...globals.browser } },
  },
);
