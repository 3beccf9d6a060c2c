// One journal call per tick for a field that every item of a list resolves (a page of
// lessons' patterns, their histories): each field asks for its item's id, and the journal
// answers them all at once. What the journal tells of that call is told to each field of
// the batch. Hand-written rather than DataLoader: the outcome must reach every field's own
// response path, which a DataLoader batch function can't see.
import type { Call } from '../journal/index.ts';
import type { GraphQLContext } from './builder.ts';

type Load<V> = (id: number, call: Call) => Promise<V>;

function batcher<V>(
  many: (ids: number[], call: Call) => Promise<Map<number, V>>,
  missing: V,
): Load<V> {
  type Waiting = { done: (value: V) => void; call: Call };
  let batch: Map<number, Waiting[]> | null = null;
  return (id, call) =>
    new Promise((done) => {
      if (!batch) {
        const current = new Map<number, Waiting[]>();
        batch = current;
        queueMicrotask(async () => {
          batch = null;
          const all = [...current.values()].flat();
          const found = await many([...current.keys()], {
            actor: call.actor,
            author: call.author,
            tell: (outcome) => {
              for (const waiting of all) waiting.call.tell?.(outcome);
            },
          });
          for (const [key, waiting] of current) {
            for (const w of waiting) w.done(found.get(key) ?? missing);
          }
        });
      }
      const waiting = batch.get(id) ?? [];
      waiting.push({ done, call });
      batch.set(id, waiting);
    });
}

const perRequest = new WeakMap<object, Map<string, Load<unknown>>>();

/** The request's batcher named `name` (made on first use). */
export function batched<V>(
  ctx: GraphQLContext,
  name: string,
  many: (ids: number[], call: Call) => Promise<Map<number, V>>,
  missing: V,
): Load<V> {
  let loads = perRequest.get(ctx);
  if (!loads) {
    loads = new Map();
    perRequest.set(ctx, loads);
  }
  let load = loads.get(name) as Load<V> | undefined;
  if (!load) {
    load = batcher(many, missing);
    loads.set(name, load as Load<unknown>);
  }
  return load;
}
