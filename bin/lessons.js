#!/usr/bin/env node
// `lessons`, the operator CLI (src/cli/main.ts). It runs the TypeScript sources through tsx,
// already a dependency (`npm start` uses it), scoped to this import and compiled with this
// package's tsconfig.json whatever the working directory: so it works right after `npm ci`
// in a clone or an install by path, with no build step and no build to go stale.
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const { cli } = await tsImport('../src/cli/main.ts', {
  parentURL: import.meta.url,
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
});
await cli();
