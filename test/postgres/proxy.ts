// A TCP proxy in front of a PostgreSQL server that a test can cut like a network: while
// `partition()`ed it accepts connections and swallows everything (no answer, no error: an
// unreachable host); `heal()` drops the connections caught in the partition, as a real
// partition ends, and passes traffic again.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Proxy {
  url: string;
  partition(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<Proxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<[Socket, Socket | undefined]>();
  let cut = false;

  const server: Server = createServer((client) => {
    client.on('error', () => {});
    if (cut) {
      pairs.add([client, undefined]);
      client.on('data', () => {}); // swallowed
      return;
    }
    const upstream = createConnection(Number(target.port), target.hostname);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    const pair: [Socket, Socket | undefined] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (!cut) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!cut) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(targetUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    partition: () => {
      cut = true;
    },
    heal: () => {
      cut = false;
      for (const pair of pairs) {
        pair[0].destroy();
        pair[1]?.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
