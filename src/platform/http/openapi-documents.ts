import { clone, nameComponents, operationsOf, pruneComponents, type Json, HTTP_METHODS } from './openapi-components.js';

/** One published document cut from the routes: which paths, which title and words. */
export interface DocumentSpec {
  title: string;
  description: string;
  /** Paths starting with one of these belong to the document. */
  prefixes: readonly string[];
  /** Steps over the cut document (error responses, `webhooks`…), run before components are named. */
  passes?: ReadonlyArray<(doc: Json) => Json>;
}

function keepPaths(doc: Json, prefixes: readonly string[]): Json {
  const paths: Json = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) if (prefixes.some((p) => path === p || path.startsWith(p))) paths[path] = item;
  return { ...doc, paths };
}

/** Only the security schemes and tags the remaining operations use. */
function keepUsedSecurityAndTags(doc: Json, tagDescriptions: Record<string, string>): Json {
  const schemes = new Set<string>();
  const tags: string[] = [];
  for (const { op } of operationsOf(doc)) {
    for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) schemes.add(name);
    for (const t of op.tags ?? []) if (!tags.includes(t)) tags.push(t);
  }
  for (const item of Object.values(doc.webhooks ?? {}) as Json[]) {
    for (const method of HTTP_METHODS) {
      for (const t of item[method]?.tags ?? []) if (!tags.includes(t)) tags.push(t);
      for (const requirement of item[method]?.security ?? []) for (const name of Object.keys(requirement)) schemes.add(name);
    }
  }
  const all = doc.components?.securitySchemes ?? {};
  const securitySchemes = Object.fromEntries(Object.entries(all).filter(([name]) => schemes.has(name)));
  return {
    ...doc,
    tags: tags.map((name) => (tagDescriptions[name] ? { name, description: tagDescriptions[name] } : { name })),
    components: { ...doc.components, securitySchemes },
  };
}

/**
 * Cuts one published document out of the generated one (every route of the app): its paths only,
 * named component schemas, the security schemes and tags it uses. The input is not changed.
 */
export function deriveDocument(full: Json, spec: DocumentSpec, tagDescriptions: Record<string, string> = {}): Json {
  let doc = keepPaths(clone(full), spec.prefixes);
  doc.info = { ...doc.info, title: spec.title, description: spec.description };
  for (const pass of spec.passes ?? []) doc = pass(doc);
  doc = nameComponents(doc);
  doc = keepUsedSecurityAndTags(doc, tagDescriptions);
  doc = pruneComponents(doc);
  // A stable key order reads better and diffs well: openapi, info, servers, tags, paths, webhooks, components.
  const order = ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'webhooks', 'components'];
  return Object.fromEntries([...order.filter((k) => k in doc).map((k) => [k, doc[k]]), ...Object.entries(doc).filter(([k]) => !order.includes(k))]);
}
