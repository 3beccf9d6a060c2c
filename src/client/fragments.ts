// The GraphQL fragments that select every field of a lesson and of an aggregate group,
// from the field registry, for the client's documents (codegen.ts adds them to
// operations.graphql): a new field reaches the typed client by `npm run codegen` alone.
import { DIMENSIONS, FIELD_NAMES } from '../journal/fields.ts';

const fragment = (name: string, type: string, fields: readonly string[]) =>
  `fragment ${name} on ${type} {\n${fields.map((f) => `  ${f}\n`).join('')}}\n`;

/** Every field of a LessonGroup: the dimensions, the bucket, the counts and the times. */
export const GROUP_FIELDS: readonly string[] = [
  ...DIMENSIONS,
  'bucketStart',
  'lessons',
  'occurrences',
  'workItems',
  'firstSeenAt',
  'lastSeenAt',
];

export const LESSON_FRAGMENTS = [
  fragment('LessonFields', 'Lesson', FIELD_NAMES),
  fragment('LessonGroupFields', 'LessonGroup', GROUP_FIELDS),
].join('\n');
