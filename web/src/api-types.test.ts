import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, portalDocument, renderApiTypes } from '../scripts/generate-api-types.js';

describe("the portal's wire types", () => {
  it("are what openapi-typescript makes of the portal routes' schemas (run `npx tsx web/scripts/generate-api-types.ts` when this fails)", async () => {
    const committed = fs.readFileSync(API_TYPES_FILE, 'utf8');
    const fresh = await renderApiTypes(await portalDocument());
    expect(fresh === committed, 'web/src/api-types.ts is stale: npx tsx web/scripts/generate-api-types.ts').toBe(true);
  }, 180_000);
});
