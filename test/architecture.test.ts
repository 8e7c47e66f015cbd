import { describe, expect, it } from 'vitest';
import { areaOf, importCircles, readImportGraph, ruleBreaks, type ImportEdge } from './architecture/import-graph.js';

/**
 * The floor rules of docs/architecture.md, checked on the imports of src/ as they are: no import
 * circles, the ground floor (platform/, db/) imports no domain, no domain imports the application
 * (app.ts, server.ts, main.ts, http/, cli/), and a domain reaches another only through its index.ts.
 */
describe('the import graph of src/', () => {
  const { files, edges } = readImportGraph();

  it('reads the whole backend', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain('platform/errors.ts');
    expect(edges.some((e) => e.from === 'app.ts')).toBe(true);
  });

  it('has no import circles', () => {
    expect(importCircles(files, edges)).toEqual([]);
  });

  it('keeps every import on its floor: ground floor below domains, domains through their faces', () => {
    expect(ruleBreaks(edges)).toEqual([]);
  });

  it('has a face for every domain another file imports', () => {
    const faced = new Set(edges.filter((e) => areaOf(e.from) !== areaOf(e.to) && e.to === `${areaOf(e.to)}/index.ts`).map((e) => areaOf(e.to)));
    for (const area of faced) expect(files).toContain(`${area}/index.ts`);
  });
});

describe('the checks themselves', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });

  it('finds a circle, however long', () => {
    const files = ['a/x.ts', 'b/y.ts', 'c/z.ts', 'd/w.ts'];
    expect(importCircles(files, [edge('a/x.ts', 'b/y.ts'), edge('b/y.ts', 'c/z.ts'), edge('c/z.ts', 'a/x.ts'), edge('d/w.ts', 'a/x.ts')])).toEqual([['a/x.ts', 'b/y.ts', 'c/z.ts']]);
    expect(importCircles(files, [edge('a/x.ts', 'b/y.ts'), edge('b/y.ts', 'c/z.ts')])).toEqual([]);
  });

  it('names each kind of rule break', () => {
    expect(ruleBreaks([edge('platform/errors.ts', 'orders/index.ts')])[0]).toMatch(/ground floor imports no domain/);
    expect(ruleBreaks([edge('orders/orders.service.ts', 'server.ts')])[0]).toMatch(/imports the application/);
    expect(ruleBreaks([edge('orders/orders.service.ts', 'catalog/listings.repository.ts')])[0]).toMatch(/through its index\.ts/);
    expect(ruleBreaks([edge('orders/orders.service.ts', 'catalog/index.ts'), edge('orders/a.ts', 'orders/b.ts'), edge('app.ts', 'orders/index.ts'), edge('orders/a.ts', 'platform/errors.ts')])).toEqual([]);
  });
});
