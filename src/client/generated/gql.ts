/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment LessonFields on Lesson {\n  id\n  lessonType\n  workItemId\n  taskId\n  stage\n  agent\n  repo\n  rootCause\n  suggestion\n  status\n  relatedTask\n  attribution\n  targetRepo\n  targetDomain\n  source\n  detail\n  occurrences\n  lastSeenAt\n  createdAt\n  updatedAt\n}\n\nmutation RecordLesson($input: RecordLessonInput!) {\n  recordLesson(input: $input) {\n    ...LessonFields\n  }\n}\n\nmutation UpdateLesson($id: Int!, $input: UpdateLessonInput!) {\n  updateLesson(id: $id, input: $input)\n}\n\nquery Lesson($id: Int!) {\n  lesson(id: $id) {\n    ...LessonFields\n  }\n}\n\nquery Lessons($filter: LessonFilter, $limit: Int) {\n  lessons(filter: $filter, limit: $limit) {\n    ...LessonFields\n  }\n}\n\nquery LessonsSnapshot($repo: String) {\n  lessonsSnapshot(repo: $repo) {\n    enabled\n    total\n    open\n    recorded24h\n    lastRecordedAt\n    byType {\n      key\n      count\n    }\n    byStatus {\n      key\n      count\n    }\n    byDomain {\n      key\n      count\n    }\n    byAttribution {\n      key\n      count\n    }\n  }\n}\n\nquery LessonSlugs {\n  lessonSlugs {\n    lessonTypes\n    attributions\n    domains\n    statuses\n    sources\n  }\n}": typeof types.LessonFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment LessonFields on Lesson {\n  id\n  lessonType\n  workItemId\n  taskId\n  stage\n  agent\n  repo\n  rootCause\n  suggestion\n  status\n  relatedTask\n  attribution\n  targetRepo\n  targetDomain\n  source\n  detail\n  occurrences\n  lastSeenAt\n  createdAt\n  updatedAt\n}\n\nmutation RecordLesson($input: RecordLessonInput!) {\n  recordLesson(input: $input) {\n    ...LessonFields\n  }\n}\n\nmutation UpdateLesson($id: Int!, $input: UpdateLessonInput!) {\n  updateLesson(id: $id, input: $input)\n}\n\nquery Lesson($id: Int!) {\n  lesson(id: $id) {\n    ...LessonFields\n  }\n}\n\nquery Lessons($filter: LessonFilter, $limit: Int) {\n  lessons(filter: $filter, limit: $limit) {\n    ...LessonFields\n  }\n}\n\nquery LessonsSnapshot($repo: String) {\n  lessonsSnapshot(repo: $repo) {\n    enabled\n    total\n    open\n    recorded24h\n    lastRecordedAt\n    byType {\n      key\n      count\n    }\n    byStatus {\n      key\n      count\n    }\n    byDomain {\n      key\n      count\n    }\n    byAttribution {\n      key\n      count\n    }\n  }\n}\n\nquery LessonSlugs {\n  lessonSlugs {\n    lessonTypes\n    attributions\n    domains\n    statuses\n    sources\n  }\n}": types.LessonFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment LessonFields on Lesson {\n  id\n  lessonType\n  workItemId\n  taskId\n  stage\n  agent\n  repo\n  rootCause\n  suggestion\n  status\n  relatedTask\n  attribution\n  targetRepo\n  targetDomain\n  source\n  detail\n  occurrences\n  lastSeenAt\n  createdAt\n  updatedAt\n}\n\nmutation RecordLesson($input: RecordLessonInput!) {\n  recordLesson(input: $input) {\n    ...LessonFields\n  }\n}\n\nmutation UpdateLesson($id: Int!, $input: UpdateLessonInput!) {\n  updateLesson(id: $id, input: $input)\n}\n\nquery Lesson($id: Int!) {\n  lesson(id: $id) {\n    ...LessonFields\n  }\n}\n\nquery Lessons($filter: LessonFilter, $limit: Int) {\n  lessons(filter: $filter, limit: $limit) {\n    ...LessonFields\n  }\n}\n\nquery LessonsSnapshot($repo: String) {\n  lessonsSnapshot(repo: $repo) {\n    enabled\n    total\n    open\n    recorded24h\n    lastRecordedAt\n    byType {\n      key\n      count\n    }\n    byStatus {\n      key\n      count\n    }\n    byDomain {\n      key\n      count\n    }\n    byAttribution {\n      key\n      count\n    }\n  }\n}\n\nquery LessonSlugs {\n  lessonSlugs {\n    lessonTypes\n    attributions\n    domains\n    statuses\n    sources\n  }\n}"): (typeof documents)["fragment LessonFields on Lesson {\n  id\n  lessonType\n  workItemId\n  taskId\n  stage\n  agent\n  repo\n  rootCause\n  suggestion\n  status\n  relatedTask\n  attribution\n  targetRepo\n  targetDomain\n  source\n  detail\n  occurrences\n  lastSeenAt\n  createdAt\n  updatedAt\n}\n\nmutation RecordLesson($input: RecordLessonInput!) {\n  recordLesson(input: $input) {\n    ...LessonFields\n  }\n}\n\nmutation UpdateLesson($id: Int!, $input: UpdateLessonInput!) {\n  updateLesson(id: $id, input: $input)\n}\n\nquery Lesson($id: Int!) {\n  lesson(id: $id) {\n    ...LessonFields\n  }\n}\n\nquery Lessons($filter: LessonFilter, $limit: Int) {\n  lessons(filter: $filter, limit: $limit) {\n    ...LessonFields\n  }\n}\n\nquery LessonsSnapshot($repo: String) {\n  lessonsSnapshot(repo: $repo) {\n    enabled\n    total\n    open\n    recorded24h\n    lastRecordedAt\n    byType {\n      key\n      count\n    }\n    byStatus {\n      key\n      count\n    }\n    byDomain {\n      key\n      count\n    }\n    byAttribution {\n      key\n      count\n    }\n  }\n}\n\nquery LessonSlugs {\n  lessonSlugs {\n    lessonTypes\n    attributions\n    domains\n    statuses\n    sources\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;