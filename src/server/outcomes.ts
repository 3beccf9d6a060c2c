// extensions.lessons: why each recordLesson of a request answered as it did, in the
// response itself, so that a caller can tell a deduplicated record from a refused one, a
// journal that is off or a fault, while `data` stays the contract's (null unless recorded).
//
// The journal decides (src/journal/guard.ts, Outcome) and tells the resolver, which keeps it
// in the request's slot under the field's response key (src/schema/lesson.ts); this plugin
// makes the slot for each request and copies it into the result's extensions:
// `{"lessons": {"recordLesson": {"outcome": "deduped", "id": 7}}}`. A request that records
// nothing gets no extensions from it.
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Outcome } from '../journal/index.ts';
import type { GraphQLContext } from '../schema/index.ts';

export function useRecordOutcomes(): Plugin<GraphQLContext> {
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
