import { operationsOf, type Json } from './openapi-components.js';

export interface ExampleSet {
  /** By parameter name: set as the example of every path/query parameter of that name. */
  parameters: Record<string, unknown>;
  /** By operationId: named request body examples. */
  bodies: Record<string, Record<string, { summary: string; value: unknown }>>;
  /** By operationId: the example of the first 2xx JSON response. */
  responses?: Record<string, unknown>;
}

/** Puts the examples into the document (parameters, request bodies, responses). */
export function documentExamples(set: ExampleSet): (doc: Json) => Json {
  return (doc) => {
    for (const { op } of operationsOf(doc)) {
      for (const p of op.parameters ?? []) {
        if ((p.in === 'path' || p.in === 'query') && p.name in set.parameters && p.example === undefined) p.example = set.parameters[p.name];
      }
      const bodies = set.bodies[op.operationId];
      const media = op.requestBody?.content?.['application/json'];
      if (bodies && media) {
        delete media.example;
        media.examples = bodies;
      }
      const response = set.responses?.[op.operationId];
      if (response !== undefined) {
        const ok = Object.entries(op.responses ?? {}).find(([s]) => s.startsWith('2'))?.[1] as Json;
        const content = ok?.content?.['application/json'];
        if (content) content.example = response;
      }
    }
    return doc;
  };
}
