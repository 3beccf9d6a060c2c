// The schema engine's driver adapter for PostgreSQL (Prisma's @prisma/adapter-pg), used
// for migrations only: the service's own statements run on the raw driver.
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { connectionConfig, quoteIdent } from '../postgres/connection.ts';
import { delegate } from './delegate.ts';

/** PostgreSQL's internal one-byte `"char"` type. */
const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * A client whose results report `"char"` columns as text. The schema engine reads catalogs
 * with such columns (pg_constraint.contype, ...) and @prisma/adapter-pg 7.10 rejects that
 * type ("Unsupported column type char"); the values are one-letter strings either way. A
 * subclass given to the pool through its documented `Client` option.
 */
class CharAsTextClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is overloaded; this passes every form through.
  override query(...args: any[]): any {
    const asText = (result: pg.QueryResult | undefined) => {
      for (const field of result?.fields ?? []) {
        if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      }
      return result;
    };
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      // pool.query() calls client.query with a callback; the adapter's own calls use promises.
      args[args.length - 1] = (error: unknown, result: pg.QueryResult) =>
        callback(error, asText(result));
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      return (super.query as any)(...args);
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    const result = (super.query as any)(...args);
    return result instanceof Promise ? result.then(asText) : result;
  }
}

/**
 * The schema engine's adapter: one connection to the database (so that Prisma's session
 * advisory lock and the statements it guards share it), and shadow databases made and
 * dropped on the same server by this factory (the adapter's own leaves its shadow behind:
 * it drops the database before closing the pool that uses it, and its connection-string
 * config ignores the shadow database's name).
 */
export function migrationAdapter(url: string): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Ends every connection the engine was given (it does not close them itself, and one may
   * hold Prisma's migration lock, which would keep other replicas waiting). */
  close(): Promise<void>;
} {
  const { config, schema } = connectionConfig(url);
  const pools = new Set<pg.Pool>();
  const adapterFor = async (poolConfig: pg.PoolConfig, schemaName?: string) => {
    const pool = new pg.Pool({ ...poolConfig, Client: CharAsTextClient });
    pools.add(pool);
    pool.on('error', () => {}); // an idle connection's error: the next use reports it
    const adapter = await new PrismaPg(pool, {
      ...(schemaName ? { schema: schemaName } : {}),
      disposeExternalPool: true,
    }).connect();
    // The adapter splits a script on every ";", which cuts a function body ($$ ... $$) in
    // pieces; PostgreSQL runs a multi-statement script itself in one simple query.
    return delegate(adapter, {
      executeScript: async (script) => void (await pool.query(script)),
    });
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () =>
      adapterFor({ ...config, max: 1, options: `-c search_path=${quoteIdent(schema)}` }, schema),
    connectToShadowDb: async (): Promise<SqlDriverAdapter> => {
      const admin = new pg.Client(config);
      await admin.connect();
      const name = `lessons_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      await admin.end();
      const shadow = await adapterFor({ ...config, database: name, max: 1 });
      return delegate(shadow, {
        dispose: async () => {
          await shadow.dispose();
          const dropper = new pg.Client(config);
          await dropper.connect();
          await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
          await dropper.end();
        },
      });
    },
  };
  return {
    factory,
    close: async () => {
      const ending = [...pools].filter((pool) => !pool.ended).map((pool) => pool.end());
      pools.clear();
      await Promise.allSettled(ending);
    },
  };
}
