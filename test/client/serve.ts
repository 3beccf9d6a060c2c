// The real service over real HTTP for the client and CLI tests: makeService (in-process,
// a temporary SQLite file, a clock the test controls) behind a Node HTTP server on an
// ephemeral loopback port. Stopped after each test, before the service's own cleanup.
import { createServer } from 'node:net';
import { afterEach } from 'vitest';
import { listen } from '../../src/server/http.ts';
import { makeService, type Service, type ServiceOptions } from '../helpers.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

export interface Served {
  service: Service;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
}

export async function serveService(options: ServiceOptions = {}): Promise<Served> {
  const service = await makeService(options);
  const running = await listen(service.app, '127.0.0.1', 0);
  stops.push(() => running.stop(0));
  return { service, url: running.url };
}

/** A URL on which nothing listens (a port that was just free). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}
