// /health, /ready and /metrics as contract.md describes them.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { GRAPHIQL_OPTIONS, preferredEncoding } from '../src/server/graphiql.ts';
import { makeService, RECORD, type Service } from './helpers.ts';

async function json(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: response.status, body: await response.json() };
}

describe('endpoints', () => {
  test('/health is 200 while the process lives, even when the database is broken; /ready is 503', async () => {
    const s = await makeService({ open: () => () => Promise.reject(new Error('down')) });
    expect(await json(await s.app.fetch('http://localhost/health'))).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'on', database: 'not checked' },
    });
    expect(s.opens()).toBe(0);
    expect(await json(await s.app.fetch('http://localhost/ready'))).toEqual({
      status: 503,
      body: { status: 'unavailable', journal: 'on', database: 'down' },
    });
  });

  test('/ready is 200 when the database answers', async () => {
    const s = await makeService();
    expect(await json(await s.app.fetch('http://localhost/ready'))).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'on', database: 'up' },
    });
  });

  test('/metrics: recorded, deduped, no-op and fault counters by operation, and request latency by operation type and root field', async () => {
    const s = await makeService();
    await s.gql(RECORD, { input: { lessonType: 'gate_failure', workItemId: 'W' } });
    await s.gql(RECORD, { input: { lessonType: 'gate_failure', workItemId: 'W' } });
    await s.gql(RECORD, { input: { lessonType: 'merge_hold', source: 'manual' } });
    const response = await s.app.fetch('http://localhost/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('lessons_recorded_total{source="auto"} 1');
    expect(text).toContain('lessons_recorded_total{source="manual"} 1');
    expect(text).toContain('lessons_deduped_total 1');
    expect(text).toContain('# TYPE lessons_noop_total counter');
    expect(text).toContain('# TYPE lessons_faults_total counter');
    expect(text).toContain(
      'graphql_yoga_http_duration_count{operationType="mutation",rootField="recordLesson",method="POST",statusCode="200"} 3',
    );
    expect(text).toContain(
      'graphql_envelop_request_duration_count{operationType="mutation",rootField="recordLesson"} 3',
    );
  });
});

describe('GraphiQL', () => {
  const page = (s: Service, headers: Record<string, string>) =>
    s.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html', ...headers } });

  test("the journal's own title and a first document that records and reads a lesson", async () => {
    const s = await makeService();
    const html = await (await page(s, {})).text();
    // Booleans: a failure must not print a 9 MB page.
    const has = (text: string) => html.includes(text);
    expect(has('<title>lessons-journal</title>')).toBe(true);
    expect(has(JSON.stringify(GRAPHIQL_OPTIONS.defaultQuery))).toBe(true);
  });

  test('compressed when asked, brotli before gzip; as it is when not', async () => {
    const s = await makeService();
    const plain = await page(s, {});
    expect(plain.headers.get('content-encoding')).toBeNull();
    const html = await plain.text();
    for (const [accept, encoding, inflate] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync],
    ] as const) {
      const response = await page(s, { 'accept-encoding': accept });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('vary')).toBe('accept-encoding');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.length).toBeLessThan(html.length / 3);
      expect(inflate(body).toString() === html).toBe(true);
    }
    const refused = await page(s, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  test('preferredEncoding reads weights and case', () => {
    expect(preferredEncoding('GZIP')).toBe('gzip');
    expect(preferredEncoding('deflate')).toBeUndefined();
    expect(preferredEncoding(null)).toBeUndefined();
    expect(preferredEncoding('br;q=0.0, gzip;q=0')).toBeUndefined();
    expect(preferredEncoding(' br ; q=1 ')).toBe('br');
  });
});
