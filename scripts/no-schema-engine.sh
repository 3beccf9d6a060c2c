#!/bin/sh
# Stand-in for Prisma's native schema engine, which can't be downloaded offline.
# `prisma generate` only checks that this file exists; it never runs it.
# Migrations are applied by the service itself (src/db/migrate.ts) and made with
# `npm run migration:new`, both through @prisma/schema-engine-wasm.
echo "lessons-journal: Prisma's native schema engine is not installed (offline build)." >&2
echo "Use 'npm run migration:new' to make a migration; the service applies them on start." >&2
exit 1
