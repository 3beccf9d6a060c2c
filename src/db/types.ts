// What the journal gets from the database layer: a Prisma client on an open, migrated
// database, and the provider, for the few statements whose SQL differs between backends.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { WriteJob } from './group-commit.ts';

export type Provider = 'sqlite' | 'postgresql';

export interface OpenDatabase {
  provider: Provider;
  prisma: PrismaClient;
  close(): Promise<void>;
  /** SQLite: true once the file this connection writes to was deleted or replaced. */
  lost?(): boolean;
  /**
   * SQLite: runs a write in the group commit (db/group-commit.ts): answered once durable.
   * Absent where the database takes concurrent writes itself (PostgreSQL).
   */
  write?<T>(job: WriteJob<T>): Promise<T>;
}
