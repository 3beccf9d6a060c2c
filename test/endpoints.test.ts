// /health, /ready and /metrics as contract.md describes them.
import { describe, expect, test } from 'vitest';
import { makeService, RECORD } from './helpers.ts';

describe('endpoints', () => {
  test('/health is 200 while the process lives, even when the database is broken', async () => {
    const s = await makeService({ open: () => () => Promise.reject(new Error('down')) });
    expect((await s.app.fetch('http://localhost/health')).status).toBe(200);
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(503);
  });

  test('/ready is 200 when the database answers', async () => {
    const s = await makeService();
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(200);
  });

  test('/metrics: recorded, deduped, no-op and fault counters by operation, and request latency', async () => {
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
    expect(text).toMatch(/graphql_yoga_http_duration_bucket\{.*le="\+Inf".*\} 3/);
  });
});
