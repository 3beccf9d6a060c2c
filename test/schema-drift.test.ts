// schema.graphql is the printed, sorted schema of the builder. This fails when the code
// and the checked-in file differ; `npm run schema:print` (or `vitest -u`) rewrites it, so
// a contract change shows up as a reviewed diff.
import { expect, test } from 'vitest';
import { printedSchema } from '../src/schema/index.ts';

test('schema.graphql matches the schema the code builds', async () => {
  await expect(printedSchema()).toMatchFileSnapshot('../schema.graphql');
});
