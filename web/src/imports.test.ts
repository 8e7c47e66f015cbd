import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Every module of the portal (relative to web/src) and the portal modules it imports. */
export function importGraph(root = SRC): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const deps = new Set<string>();
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(file, m[1]!);
      if (target?.startsWith(root)) deps.add(path.relative(root, target));
    }
    graph.set(path.relative(root, file), [...deps].sort());
  }
  return graph;
}

/** The import circles (each as the files around it), found with Tarjan's strongly connected components. */
export function importCircles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || graph.get(v)?.includes(v)) circles.push(part.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}

const isPage = (file: string) => /^pages\/[^/]+Page\.tsx$/.test(file);
/** The folder a page keeps its own parts in (pages/catalog/ for CatalogPage, pages/stores/ for StoresPage). */
const partsOf = (page: string) => `pages/${path.basename(page, 'Page.tsx').toLowerCase()}/`;

describe('the portal modules', () => {
  const graph = importGraph();

  it('import no module that imports them back (no circles)', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('are pages that import no other page nor its parts; shared pieces live in components/ or hooks/', () => {
    const breaks: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith('pages/')) continue;
      const own = isPage(file) ? partsOf(file) : `${path.dirname(file)}/`;
      for (const dep of deps) if (dep.startsWith('pages/') && !dep.startsWith(own)) breaks.push(`${file} → ${dep}`);
    }
    expect(breaks).toEqual([]);
  });
});
