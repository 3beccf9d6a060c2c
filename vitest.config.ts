import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql module for everyone: without this, sources may load graphql's ESM build
    // while Pothos and Yoga load its CJS build ("Cannot use GraphQLScalarType ... from
    // another module or realm").
    alias: { graphql: require.resolve('graphql/index.js') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the run, or the reason there is none (test/postgres/).
    globalSetup: ['test/postgres/global-setup.ts'],
    // Generous: many tests run real servers and CLI processes, whose time is the machine's
    // (a busy two-core CI machine ran single ones in 20-30 s); a timeout here is a hang
    // detector, not a speed assertion.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
