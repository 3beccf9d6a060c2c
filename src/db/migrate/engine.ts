// Prisma's own schema engine, run as WebAssembly (@prisma/schema-engine-wasm) through a
// driver adapter. The Prisma CLI's `migrate` commands need a native engine binary that is
// downloaded on first use, which fails offline and on air-gapped machines; this module
// runs the same engine in-process instead. Migrations keep Prisma's format and bookkeeping
// (`prisma/migrations/*/migration.sql`, the `_prisma_migrations` table), so a user with
// network access can still run `prisma migrate deploy` on the same folder.
//
// Promise: apply() is idempotent (applies only what `_prisma_migrations` lacks); diff()
// never touches the target database (a migration history is replayed on a shadow
// database: in-memory for SQLite).
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type {
  DiffTarget,
  MigrationList,
  SchemaEngine,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let engineModule: Promise<EngineModule> | undefined;

/**
 * The package's ESM entry imports its `.wasm` file directly, which Node 20 refuses without
 * a flag; so load the JS glue, instantiate the wasm ourselves and hand it over, as the
 * entry would. Done once per process.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(glue), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return engineModule;
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface PrismaSchemaFile {
  path: string;
  content: string;
}

export async function readPrismaSchema(path: string): Promise<PrismaSchemaFile> {
  return { path, content: await readFile(path, 'utf8') };
}

/** A migrations folder in Prisma's format, as the engine takes it. */
export async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockPath = 'migration_lock.toml';
  const lock = await readFile(join(baseDir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (path) => {
      const content = await readFile(join(baseDir, path, 'migration.sql'), 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (error: Error) => ({ tag: 'error' as const, value: error.message }),
      );
      return { path, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return {
    baseDir,
    lockfile: { path: lockPath, content: lock },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

type EngineLog = (line: string) => void;

/**
 * When it replays a migration history on a shadow database, the engine sends each
 * migration file (several statements) through `executeRaw`, which better-sqlite3 refuses
 * ("contains more than one statement"). A statement without parameters is a script, so
 * the shadow connection runs those through `executeScript` instead.
 */
function scriptTolerantShadow(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: async () => {
      const shadow = await factory.connectToShadowDb();
      return {
        provider: shadow.provider,
        adapterName: shadow.adapterName,
        queryRaw: (query) => shadow.queryRaw(query),
        executeRaw: (query) =>
          query.args.length === 0
            ? shadow.executeScript(query.sql).then(() => 0)
            : shadow.executeRaw(query),
        executeScript: (script) => shadow.executeScript(script),
        startTransaction: (level) => shadow.startTransaction(level),
        dispose: () => shadow.dispose(),
      };
    },
  };
}

async function withEngine<T>(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  schema: PrismaSchemaFile,
  log: EngineLog,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  // The engine calls the adapter's methods unbound; the binding wrapper fixes that.
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(scriptTolerantShadow(adapter)),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * Applies the migrations the database lacks; returns their names (empty when none).
 * `external` names tables and enums that live beside the journal's in a shared database
 * (the orchestrator's): the engine leaves them alone and does not count them when it
 * decides whether a database without migration history is empty.
 */
export async function applyMigrations(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  schema: PrismaSchemaFile,
  migrationsDir: string,
  log: EngineLog = () => {},
  external: { tables: string[]; enums: string[] } = { tables: [], enums: [] },
): Promise<string[]> {
  const migrationsList = await readMigrations(migrationsDir);
  return withEngine(adapter, schema, log, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList,
      filters: { externalTables: external.tables, externalEnums: external.enums },
    });
    return out.appliedMigrationNames;
  });
}

/**
 * The SQL that turns `from` into `to`, or '' when they describe the same database.
 * A `migrations` target is replayed on the adapter's shadow database.
 */
export async function diffSql(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  schema: PrismaSchemaFile,
  from: DiffTarget,
  to: DiffTarget,
): Promise<string> {
  return withEngine(
    adapter,
    schema,
    () => {},
    async (engine) => {
      const result = await engine.diff({
        from,
        to,
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
      // exitCode 2 means "there is a difference"; 0 means none.
      return result.exitCode === 0 ? '' : (result.stdout ?? '');
    },
  );
}

/**
 * What a new migration must hold: the SQL from the database the migrations in
 * `migrationsDir` build (replayed on the adapter's shadow database) to the one `schema`
 * describes; '' when they agree.
 */
export async function pendingSql(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  schema: PrismaSchemaFile,
  migrationsDir: string,
): Promise<string> {
  const replayed = migrationsTarget(await readMigrations(migrationsDir));
  return diffSql(adapter, schema, replayed, schemaTarget(schema));
}

export function migrationsTarget(list: MigrationList): DiffTarget {
  return { tag: 'migrations', ...list };
}

export function schemaTarget(schema: PrismaSchemaFile): DiffTarget {
  return { tag: 'schemaDatamodel', files: [schema] };
}
