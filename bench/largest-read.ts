// largest-read: the heaviest read one reader token can ask for, against the hot path.
//
// Fills an SQLite journal with 1,000 lessons whose every text field holds 16 KiB (the
// longest text a lesson keeps), then asks `lessons(limit: 1000)` with every field (the
// largest list the cost limit lets through) while a writer records a lesson every 20 ms,
// and prints the read's time and answer, the writer's worst and median latency meanwhile,
// and the service's RSS before and after. `--service-dir DIR` runs the service of another
// checkout (as `npm run bench` does), so that two revisions compare in one sitting:
//
//   npx tsx bench/largest-read.ts [--service-dir DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './processes.ts';

const { values } = parseArgs({ options: { 'service-dir': { type: 'string' } } });
const dir = mkdtempSync(join(tmpdir(), 'lessons-largest-read-'));
const server = await startServer('service', `file:${join(dir, 'l.db')}`, values['service-dir']);
const url = `${server.base}/graphql`;

const gql = async (query: string, variables?: Record<string, unknown>) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
};

type Field = {
  name: string;
  type: { name: string | null; kind: string; ofType: { kind: string } | null };
};
const fieldsOf = async (type: string, list: 'fields' | 'inputFields') => {
  const answer = await gql(
    `{ __type(name: "${type}") { ${list} { name type { name kind ofType { kind } } } } }`,
  );
  const found = answer.data?.__type as Record<string, Field[]> | undefined;
  if (!found) throw new Error(`no type ${type} in the schema: ${JSON.stringify(answer)}`);
  return found[list] ?? [];
};
const rss = async () =>
  Math.round(
    Number(/^process_resident_memory_bytes (\S+)/m.exec(await server.metrics())?.[1]) / 2 ** 20,
  );

// Four lessons a request: each is about 240 KiB of text, under the 1 MiB body limit.
const lesson: Record<string, string> = {};
for (const field of await fieldsOf('RecordLessonInput', 'inputFields')) {
  if (field.type.name === 'String') lesson[field.name] = 'x'.repeat(16 * 1024);
}
Object.assign(lesson, { lessonType: 'gate_failure', source: 'manual' });
const four = ['a', 'b', 'c', 'd'].map((k) => `${k}: recordLesson(input: $i) { id }`).join(' ');
for (let i = 0; i < 1000; i += 4) {
  await gql(`mutation ($i: RecordLessonInput!) { ${four} }`, { i: lesson });
}
const scalars = (await fieldsOf('Lesson', 'fields'))
  .filter((f) => f.type.kind === 'SCALAR' || f.type.ofType?.kind === 'SCALAR')
  .map((f) => f.name);

const latencies: number[] = [];
let writing = true;
const writer = (async () => {
  while (writing) {
    const started = performance.now();
    await gql(
      'mutation { recordLesson(input: { lessonType: "merge_hold", source: "manual" }) { id } }',
    );
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
})();
await new Promise((resolve) => setTimeout(resolve, 300));
const before = await rss();
const started = performance.now();
const answer = await gql(`{ lessons(limit: 1000) { ${scalars.join(' ')} } }`);
const readMs = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 300));
writing = false;
await writer;
const after = await rss();
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    serviceDir: values['service-dir'] ?? '.',
    fields: scalars.length,
    readMs: Math.round(readMs),
    answer: JSON.stringify(answer).slice(0, 160),
    writes: latencies.length,
    writeWorstMs: Math.round(latencies.at(-1) ?? 0),
    writeMedianMs: Math.round(latencies[latencies.length >> 1] ?? 0),
    rssBeforeMiB: before,
    rssAfterMiB: after,
  }),
);
await server.stop();
rmSync(dir, { recursive: true, force: true });
