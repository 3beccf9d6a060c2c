// `npm run schema:postgres`: writes prisma/postgresql/schema.prisma from prisma/schema.prisma,
// the one source of truth for the model. The PostgreSQL copy differs only in its provider
// and in the client it generates (Prisma compiles queries per provider, so each backend
// needs its own generated client); a test fails when the copy drifts from the source.
import { writeFileSync } from 'node:fs';
import { postgresSchemaText } from '../src/db/migrate/postgres-schema.ts';

writeFileSync('prisma/postgresql/schema.prisma', postgresSchemaText());
console.log('wrote prisma/postgresql/schema.prisma');
