// The committed typed documents (src/client/generated) are what codegen.ts makes from
// schema.graphql and the client's operations now; `npm run codegen` rewrites them.
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { expect, test } from 'vitest';
import config from '../codegen.ts';

test('the generated client documents are up to date', async () => {
  const outputs = await generate({ ...config, silent: true }, false);
  expect(outputs.length).toBeGreaterThan(0);
  for (const { filename, content } of outputs) {
    expect(readFileSync(filename, 'utf8'), `${filename} is stale: run npm run codegen`).toBe(
      content,
    );
  }
});
