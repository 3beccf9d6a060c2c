// The PostgreSQL Prisma schema, derived from prisma/schema.prisma (the one source of truth
// for the model): same models, PostgreSQL provider, its own generated client, no Pothos
// generator (the GraphQL types come from the source schema).
import { readFileSync } from 'node:fs';

const SOURCE = new URL('../../../prisma/schema.prisma', import.meta.url);

export function postgresSchemaText(source = readFileSync(SOURCE, 'utf8')): string {
  const out = source
    .replace(/generator pothos \{[^}]*\}\n\n/, '')
    .replace(
      'output       = "../src/generated/prisma"',
      'output       = "../../src/generated/prisma-pg"',
    )
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  if (
    !out.includes('provider = "postgresql"') ||
    !out.includes('prisma-pg') ||
    out.includes('pothos')
  ) {
    throw new Error('prisma/schema.prisma no longer has the shape postgres-schema.ts rewrites');
  }
  return `// GENERATED from prisma/schema.prisma by \`npm run schema:postgres\`: do not edit.\n${out}`;
}
