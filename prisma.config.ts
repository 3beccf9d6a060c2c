// Prisma CLI configuration. The service never runs the Prisma CLI's migrate commands
// (they need a native schema engine that can't be downloaded offline); it applies
// prisma/migrations itself with Prisma's WebAssembly schema engine (src/db/migrate/engine.ts).
// A user with network access can still run `prisma migrate deploy` on the same folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/lessons.db' },
});
