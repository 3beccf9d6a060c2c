// `prisma generate` that works offline (run on install), for both schemas: the source
// (SQLite: client + Pothos types) and its PostgreSQL copy (client).
// The Prisma CLI refuses to generate unless a native schema engine binary is present, and
// it would download one (impossible here and on air-gapped machines). `generate` never
// runs that engine; the CLI only checks the file exists. So we point the documented
// PRISMA_SCHEMA_ENGINE_BINARY at a stub that explains itself if it is ever executed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./no-schema-engine.sh', import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  const run = spawnSync(
    'npx',
    ['--no-install', 'prisma', 'generate', '--no-hints', '--schema', schema],
    {
      env,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
