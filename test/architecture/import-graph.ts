/**
 * The backend's import graph, read from the source text: every relative `import … from`, `export … from` and
 * `import('…')` of each non-test file under src/. Used by the architecture test and printable with
 * `npx tsx test/architecture/import-graph.ts` (floors, circles and the rule breaks, as text).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'src');

/** Folders under src/ that are the ground floor: they import no domain and no application file. */
export const GROUND = ['platform', 'db'] as const;
/** Files and folders that put the application together: they may import any domain's face. */
export const COMPOSITION = ['app.ts', 'server.ts', 'main.ts', 'bootstrap.ts', 'jobs-list.ts', 'cli', 'http'] as const;

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') out.push(...sourceFiles(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

function resolve(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(fromFile), spec.replace(/\.js$/, '.ts'));
  return path.relative(SRC, target).split(path.sep).join('/');
}

/** Every file (path relative to src/) and the files it imports. */
export function readImportGraph(): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles(SRC).map((f) => path.relative(SRC, f).split(path.sep).join('/')).sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const to = resolve(path.join(SRC, file), m[3]!);
      if (to) edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
    }
    for (const m of text.matchAll(DYNAMIC)) {
      const to = resolve(path.join(SRC, file), m[1]!);
      if (to) edges.push({ from: file, to, typeOnly: false });
    }
  }
  return { files, edges };
}

/** The strongly connected components with more than one file (Tarjan), i.e. the import circles. */
export function importCircles(files: string[], edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        if (!next.has(w)) continue;
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) circles.push(scc.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return circles;
}

/** The folder under src/ a file belongs to (its first path segment; a top-level file is its own). */
export function areaOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
}

const isGround = (area: string): boolean => (GROUND as readonly string[]).includes(area);
const isComposition = (area: string): boolean => (COMPOSITION as readonly string[]).includes(area) || area === 'config.ts';

/** Imports that break the floor rules, each as "from -> to: why". */
export function ruleBreaks(edges: ImportEdge[]): string[] {
  const breaks: string[] = [];
  for (const e of edges) {
    const from = areaOf(e.from);
    const to = areaOf(e.to);
    if (from === to) continue;
    if (to === 'config.ts') continue;
    if (isGround(from) && !isGround(to)) breaks.push(`${e.from} -> ${e.to}: the ground floor imports no domain`);
    else if (isComposition(to) && !isComposition(from)) breaks.push(`${e.from} -> ${e.to}: a domain imports the application`);
    else if (!isGround(to) && !isComposition(to) && e.to !== `${to}/index.ts`)
      breaks.push(`${e.from} -> ${e.to}: another domain is reached through its index.ts`);
  }
  return breaks;
}

/** Floors: a file's floor is one more than the highest floor it imports (circles are flattened onto one floor). */
export function floors(files: string[], edges: ImportEdge[]): Map<string, number> {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (e.from !== e.to) next.get(e.from)?.push(e.to);
  const floor = new Map<string, number>();
  const visiting = new Set<string>();
  const walk = (f: string): number => {
    if (floor.has(f)) return floor.get(f)!;
    if (visiting.has(f)) return 0;
    visiting.add(f);
    let high = -1;
    for (const t of next.get(f) ?? []) if (next.has(t)) high = Math.max(high, walk(t));
    visiting.delete(f);
    floor.set(f, high + 1);
    return high + 1;
  };
  for (const f of files) walk(f);
  return floor;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { files, edges } = readImportGraph();
  const circles = importCircles(files, edges);
  const fl = floors(files, edges);
  const areaFloor = new Map<string, number>();
  for (const [f, n] of fl) areaFloor.set(areaOf(f), Math.max(areaFloor.get(areaOf(f)) ?? 0, n));
  const breaks = ruleBreaks(edges);
  console.log(`${files.length} files, ${edges.length} imports, ${Math.max(...fl.values()) + 1} file floors, ${circles.length} circles, ${breaks.length} rule breaks`);
  for (const [area, n] of [...areaFloor].sort((a, b) => b[1] - a[1])) console.log(`  floor ${String(n).padStart(2)}  ${area}`);
  for (const c of circles) console.log(`circle (${c.length}): ${c.join(', ')}`);
  const uses = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = [areaOf(e.from), areaOf(e.to)];
    if (a !== b) uses.set(a, (uses.get(a) ?? new Set()).add(b));
  }
  console.log('who imports whom (folders of src/):');
  for (const [area] of [...areaFloor].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])))
    console.log(`  ${area.padEnd(14)} → ${[...(uses.get(area) ?? [])].sort().join(', ') || '—'}`);
  const verbose = process.argv.includes('--breaks');
  if (verbose) for (const b of breaks) console.log(`break: ${b}`);
  else {
    const byPair = new Map<string, number>();
    for (const b of breaks) {
      const [from, rest] = b.split(' -> ');
      const key = `${areaOf(from!)} -> ${areaOf(rest!.split(':')[0]!)}: ${rest!.split(': ')[1]}`;
      byPair.set(key, (byPair.get(key) ?? 0) + 1);
    }
    for (const [k, n] of [...byPair].sort((a, b) => b[1] - a[1])) console.log(`  ${n}× ${k}`);
  }
}
