// /metrics stays small and shows no client text: the request metrics are labelled from a
// bounded set (the operation type, the schema's root field, the HTTP method and status),
// never with an operation name, a URL, a query string or an error's path; and it is read
// with the metrics token or an admin token once tokens are configured (open, like the rest
// of the service, when none is and it listens on loopback).
import { describe, expect, test } from 'vitest';
import { serverSettingsFromEnv } from '../src/settings.ts';
import { makeService, RECORD, type Service } from './helpers.ts';

const TOKENS = 'writer:writer-token-1,reader:reader-token-1,admin:admin-token-1';
const METRICS_TOKEN = 'scrape-token-1';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function metricsText(s: Service, headers: Record<string, string> = {}): Promise<string> {
  const response = await s.app.fetch('http://localhost/metrics', { headers });
  expect(response.status).toBe(200);
  return response.text();
}

/** The number of series: sample lines of the Prometheus text. */
const seriesIn = (text: string) =>
  text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;

/** A mix of what clients send, each carrying client text in every place it can go. */
async function requests(s: Service, from: number, to: number, marker = 'Client') {
  for (let i = from; i < to; i++) {
    const name = `${marker}${i}`;
    await s.gql(`query ${name}($repo: String) { lessonsSnapshot(repo: $repo) { total } }`, {
      repo: `${marker}-repo-${i}`,
    });
    await s.gql(RECORD, { input: { lessonType: 'gate_failure', workItemId: `${marker}-${i}` } });
    // An execution error (its path holds the client's alias) and a validation error.
    await s.gql(`query ${name}Bad { ${name}Alias: lessonsConnection(first: -1) { totalCount } }`);
    await s.gql(`query ${name}Invalid { lessonSlugs { ${name}Field } }`);
    const query = encodeURIComponent(
      `query ${name}Get($r: String) { lessonsSnapshot(repo: $r) { total } }`,
    );
    const variables = encodeURIComponent(JSON.stringify({ r: `${marker}-get-${i}` }));
    const get = await s.app.fetch(
      `http://localhost/graphql?query=${query}&variables=${variables}&${marker}Param=${i}`,
      { headers: { accept: 'application/json' } },
    );
    expect(get.status).toBe(200);
  }
}

describe('/metrics labels', () => {
  test('200 requests with distinct operation names, aliases and GET query strings leave the number of series unchanged', async () => {
    const s = await makeService();
    await requests(s, 0, 3);
    const series = seriesIn(await metricsText(s));
    await requests(s, 3, 43); // 5 requests a round: 200
    expect(seriesIn(await metricsText(s))).toBe(series);
  });

  test("no label holds a client's text: a marker sent in operation names, aliases, variables and the URL is absent", async () => {
    const s = await makeService();
    await requests(s, 0, 3, 'Zq7Marker');
    const text = await metricsText(s);
    expect(text.toLowerCase()).not.toContain('zq7marker');
    // What the labels do say: the operation type and the root field, from the schema.
    expect(text).toMatch(
      /graphql_yoga_http_duration_count\{operationType="mutation",rootField="recordLesson",method="POST",statusCode="200"\} 3/,
    );
    expect(text).toMatch(
      /graphql_yoga_http_duration_count\{operationType="query",rootField="lessonsSnapshot",method="GET",statusCode="200"\} 3/,
    );
    expect(text).toMatch(
      /graphql_envelop_error_result\{operationType="query",rootField="lessonsConnection",phase="execute"\} 3/,
    );
    expect(text).toMatch(
      /graphql_envelop_error_result\{operationType="query",rootField="lessonSlugs",phase="validate"\} 3/,
    );
  });
});

describe('/metrics access', () => {
  test('no tokens configured (loopback only): open', async () => {
    const s = await makeService();
    expect(await metricsText(s)).toContain('lessons_recorded_total');
  });

  test('tokens configured: the metrics token or an admin token; 401 without a known one, 403 for writer and reader', async () => {
    const s = await makeService({
      tokens: TOKENS,
      limitsEnv: { LESSONS_METRICS_TOKEN: METRICS_TOKEN },
    });
    for (const headers of [{}, bearer('guess-guess-guess')]) {
      const r = await s.app.fetch('http://localhost/metrics', { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(await r.text()).not.toContain('lessons_');
    }
    for (const token of ['writer-token-1', 'reader-token-1']) {
      const r = await s.app.fetch('http://localhost/metrics', { headers: bearer(token) });
      expect(r.status).toBe(403);
      expect(await r.text()).not.toContain('lessons_');
    }
    expect(await metricsText(s, bearer(METRICS_TOKEN))).toContain('lessons_recorded_total');
    expect(await metricsText(s, bearer('admin-token-1'))).toContain('lessons_recorded_total');
    // The metrics token opens /metrics alone, not the journal.
    const r = await s.gql('{ lessonSlugs { sources } }', undefined, bearer(METRICS_TOKEN));
    expect(r.status).toBe(401);
  });

  test('tokens configured without a metrics token: admin tokens only', async () => {
    const s = await makeService({ tokens: TOKENS });
    expect((await s.app.fetch('http://localhost/metrics')).status).toBe(401);
    expect(await metricsText(s, bearer('admin-token-1'))).toContain('lessons_recorded_total');
  });

  test('a LESSONS_METRICS_TOKEN under 8 characters is refused with a warning naming the variable, not the value; admin tokens only then', async () => {
    const warnings: string[] = [];
    const settings = (value: string) =>
      serverSettingsFromEnv({ LESSONS_METRICS_TOKEN: value }, (m) => warnings.push(m)).limits;
    expect(settings('  ').metricsToken).toBeUndefined();
    expect(settings(` ${METRICS_TOKEN} `).metricsToken).toBe(METRICS_TOKEN);
    expect(warnings).toEqual([]);
    expect(settings('short1').metricsToken).toBe('');
    expect(warnings).toEqual([
      'LESSONS_METRICS_TOKEN must be at least 8 characters; /metrics takes admin tokens only',
    ]);
    const s = await makeService({ tokens: TOKENS, limitsEnv: { LESSONS_METRICS_TOKEN: 'short1' } });
    expect(
      (await s.app.fetch('http://localhost/metrics', { headers: bearer('short1') })).status,
    ).toBe(401);
    expect(await metricsText(s, bearer('admin-token-1'))).toContain('lessons_recorded_total');
  });
});
