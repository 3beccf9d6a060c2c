// The service as a new user runs it: a real process on the embedded default, a lesson that
// survives a restart, one owner per SQLite file, GraphiQL offline, a graceful SIGTERM.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LESSON_FIELDS, tempDir } from './helpers.ts';
import { post, runToExit, startServer } from './process.ts';

const FULL_INPUT = {
  lessonType: 'deploy_degraded',
  workItemId: 'ORCH-98',
  taskId: 'T-1',
  stage: 'post_deploy',
  agent: 'deployer',
  repo: 'enduro-trails',
  rootCause: 'p99 doubled after deploy',
  suggestion: 'canary first',
  status: 'new',
  relatedTask: 'T-2',
  attribution: 'project',
  targetRepo: 'enduro-trails',
  targetDomain: 'reliability',
  source: 'auto',
  detail: { verdict: 'DEGRADED', p99_ms: [120, 250] },
};

describe('the server process', () => {
  test('serves the API, creates the database, and keeps a lesson across a restart', async () => {
    const dbPath = join(tempDir(), 'data', 'lessons.db');
    const env = { DATABASE_URL: `file:${dbPath}` };
    const first = await startServer(env);
    expect(existsSync(dbPath)).toBe(true);
    const recorded = await post(
      first.base,
      `mutation ($input: RecordLessonInput!) { recordLesson(input: $input) { ${LESSON_FIELDS} } }`,
      { input: FULL_INPUT },
    );
    const lesson = (recorded.body.data as { recordLesson: Record<string, unknown> }).recordLesson;
    expect(lesson).toMatchObject({ id: 1, ...FULL_INPUT, occurrences: 1 });
    expect(Object.keys(lesson).sort()).toEqual(LESSON_FIELDS.split(/\s+/).filter(Boolean).sort());
    expect((await fetch(`${first.base}/health`)).status).toBe(200);
    expect((await fetch(`${first.base}/ready`)).status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServer(env);
    const listed = await post(second.base, `{ lessons { ${LESSON_FIELDS} } }`);
    expect(listed.body).toEqual({ data: { lessons: [lesson] } });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  test('a second server on the same file exits at once with a message that says why', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'lessons.db')}` };
    const owner = await startServer(env);
    const started = Date.now();
    const second = await runToExit(env);
    expect(second.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const fatal = second.lines.find((l) => l.json?.level === 60)?.json;
    expect(fatal?.msg).toBe('cannot start');
    expect(String(fatal?.reason)).toContain('is in use by another process');
    // The owner is untouched and still answers.
    const r = await post(owner.base, '{ lessonsSnapshot { enabled total } }');
    expect(r.body).toEqual({ data: { lessonsSnapshot: { enabled: true, total: 0 } } });
  });

  test('with the journal off it starts, answers, and creates no database', async () => {
    const dir = tempDir();
    const server = await startServer({
      DATABASE_URL: `file:${join(dir, 'data', 'lessons.db')}`,
      LESSONS_ENABLED: 'off',
    });
    const r = await post(server.base, '{ lessons { id } lessonsSnapshot { enabled } }');
    expect(r.body).toEqual({
      data: { lessons: [], lessonsSnapshot: { enabled: false } },
      extensions: { lessons: { lessons: { outcome: 'off' }, lessonsSnapshot: { outcome: 'off' } } },
    });
    expect((await fetch(`${server.base}/ready`)).status).toBe(200);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  test('asked to listen beyond loopback without tokens, it refuses to start; with tokens it starts', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'l.db')}`, HOST: '0.0.0.0' };
    const open = await runToExit(env);
    expect(open.code).toBe(1);
    expect(String(open.lines.find((l) => l.json?.level === 60)?.json?.msg)).toMatch(
      /^refusing to listen on 0\.0\.0\.0 without tokens/,
    );
    const guarded = await startServer({ ...env, LESSONS_TOKENS: 'writer:orchestrator-secret' });
    const anonymous = await fetch(`${guarded.base.replace('0.0.0.0', '127.0.0.1')}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ lessonSlugs { sources } }' }),
    });
    expect(anonymous.status).toBe(401);
    expect(guarded.lines.map((l) => l.text).join('\n')).not.toContain('orchestrator-secret');
  });

  test('a bad token configuration stops the start with a message that names no token', async () => {
    const r = await runToExit({
      DATABASE_URL: `file:${join(tempDir(), 'l.db')}`,
      LESSONS_TOKENS: 'superuser:my-precious-secret',
    });
    expect(r.code).toBe(1);
    const fatal = r.lines.find((l) => l.json?.level === 60)?.json;
    expect(fatal?.msg).toBe('invalid token configuration');
    expect(String(fatal?.reason)).toBe(
      'LESSONS_TOKENS entry 1: role must be one of writer, reader, admin',
    );
    expect(r.lines.map((l) => l.text).join('\n')).not.toContain('my-precious-secret');
  });

  test('an invalid DATABASE_URL is refused at start with a clear message', async () => {
    const r = await runToExit({ DATABASE_URL: 'mysql://localhost/x' });
    expect(r.code).toBe(1);
    expect(String(r.lines.find((l) => l.json?.level === 60)?.json?.reason)).toMatch(
      /DATABASE_URL must start with file: \(SQLite\) or postgresql:\/\//,
    );
  });

  test('GraphiQL is served at /graphql to a browser, with nothing loaded from a CDN', async () => {
    const server = await startServer({ DATABASE_URL: `file:${join(tempDir(), 'l.db')}` });
    const page = await fetch(`${server.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>lessons-journal</title>');
    expect(html).toMatch(/graphiql/i);
    const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"/g)];
    expect(external.map((m) => m[1])).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });

  test('SIGTERM: stops accepting, finishes the request in flight, exits 0', async () => {
    const server = await startServer({ DATABASE_URL: `file:${join(tempDir(), 'l.db')}` });
    const port = Number(new URL(server.base).port);
    const body = JSON.stringify({
      query: 'mutation { recordLesson(input: { lessonType: "gate_failure" }) { id } }',
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const response = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
    });
    // Headers and half the body: the request is in flight.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 20)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.child.exitCode).toBeNull();
    // No new connections once stopping.
    await expect(fetch(`${server.base}/health`)).rejects.toThrow();
    socket.write(body.slice(20));
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain('{"data":{"recordLesson":{"id":1}}');
    expect(await server.exited).toBe(0);
    expect(server.lines.map((l) => l.json?.msg)).toContain('stopped');
  });
});
