// What the journal gets from the database layer: a Prisma client on an open, migrated
// database, and the provider, for the few statements whose SQL differs between backends.
import type { PrismaClient } from '../generated/prisma/client.ts';

export type Provider = 'sqlite' | 'postgresql';

export interface OpenDatabase {
  provider: Provider;
  prisma: PrismaClient;
  close(): Promise<void>;
  /** SQLite: true once the file this connection writes to was deleted or replaced. */
  lost?(): boolean;
}
