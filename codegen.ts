// GraphQL Code Generator: typed documents for every operation the client sends, from the
// checked-in schema.graphql. `npm run codegen` rewrites src/client/generated; a test fails
// when the committed output is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { LESSON_FRAGMENTS } from './src/client/fragments.ts';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // The fragments are GraphQL text made from the field registry.
  documents: ['src/client/operations.graphql', LESSON_FRAGMENTS],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'src/client/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
};

export default config;
