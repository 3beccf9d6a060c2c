// A self-describing API: every type, field, argument, input field and enum value of the
// schema the code builds carries a description, so GraphiQL's docs panel (and any
// introspecting client) says what a consumer must know. Only the introspection types and
// the built-in scalars, which graphql-js describes itself, are left out.
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { expect, test } from 'vitest';
import { schema } from '../src/schema/index.ts';

const described = (description: string | null | undefined) =>
  typeof description === 'string' && description.trim() !== '';

/** Every schema element without a description, as `Type`, `Type.field`, `Type.field(arg)`. */
function undescribed(types: readonly GraphQLNamedType[]): string[] {
  const missing: string[] = [];
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const arg of list) if (!described(arg.description)) missing.push(`${owner}(${arg.name})`);
  };
  for (const type of types) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        if (!described(field.description)) missing.push(name);
        args(name, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

test('every type, field, argument, input field and enum value has a description', () => {
  const types = Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name));
  const missing = undescribed(types);
  expect(missing, `${missing.length} without a description:\n  ${missing.join('\n  ')}`).toEqual(
    [],
  );
});

test('the walk finds each kind of undescribed element', () => {
  // A guard on the walk itself: an element it skipped would pass unchecked.
  const sample = buildSchema(`
    """Described."""
    type Query { """Described.""" a(x: Int): E, b(input: I): Int }
    enum E { """Described.""" ON OFF }
    input I { """Described.""" y: Int, z: Int }
  `);
  const types = Object.values(sample.getTypeMap());
  expect(undescribed(types).sort()).toEqual([
    'E',
    'E.OFF',
    'I',
    'I.z',
    'Query.a(x)',
    'Query.b',
    'Query.b(input)',
  ]);
});
