// extensions.lessons: why each journal field of a request answered as it did, in the
// response itself, so that a caller can tell a deduplicated record from a refused one, and
// a real answer from a safe default (the journal off, over the write rate limit, a fault
// such as a timed-out aggregate's []), while `data` stays the contract's.
//
// The journal decides (src/journal/guard.ts, Outcome) and tells the resolver, which keeps it
// in the request's slot under the field's response path (src/schema/call.ts); this plugin
// makes the slot for each request and copies it into the result's extensions:
// `{"lessons": {"recordLesson": {"outcome": "deduped", "id": 7}}}`. A request whose fields
// all answered for real gets no extensions from it.
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Outcome } from '../journal/index.ts';
import type { GraphQLContext } from '../schema/index.ts';

export function useOutcomes(): Plugin<GraphQLContext> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ outcomes: new Map<string, Outcome>() });
    },
    onExecute() {
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ args, result, setResult }) => {
            const outcomes = (args.contextValue as GraphQLContext).outcomes;
            if (!outcomes || outcomes.size === 0) return;
            setResult({
              ...result,
              extensions: { ...result.extensions, lessons: Object.fromEntries(outcomes) },
            });
          });
        },
      };
    },
  };
}
