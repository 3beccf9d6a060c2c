// Whether a query asks for a field of the value a resolver returns, through fragments and
// inline fragments alike: the journal answers some fields more cheaply when they are not
// wanted (lessonAggregates' workItems). When in doubt (a directive), it counts as asked.
import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

function asks(
  set: SelectionSetNode | undefined,
  field: string,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === 'Field') {
      if (selection.name.value === field) return true;
    } else if (selection.kind === 'InlineFragment') {
      if (asks(selection.selectionSet, field, fragments, seen)) return true;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (asks(fragment?.selectionSet, field, fragments, seen)) return true;
    }
  }
  return false;
}

export function selects(info: GraphQLResolveInfo, field: string): boolean {
  return info.fieldNodes.some((node) => asks(node.selectionSet, field, info.fragments, new Set()));
}
