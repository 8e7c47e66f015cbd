import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportOpenApi } from '../../../src/http/openapi-export.js';
// @ts-expect-error plain ESM script without types
import { renderTypes } from '../scripts/generate-types.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the SDK types', () => {
  it('are what openapi-typescript makes of the live partner document (run `npm run generate` in packages/partner-sdk when this fails)', async () => {
    const committed = fs.readFileSync(path.join(here, '../src/generated/partner-api.ts'), 'utf8');
    const fresh = await renderTypes(await exportOpenApi('partner'));
    expect(fresh === committed, 'src/generated/partner-api.ts is stale: cd packages/partner-sdk && npm run generate').toBe(true);
  });
});
