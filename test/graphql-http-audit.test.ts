// GraphQL over HTTP conformance: graphql-http's server audits (every MUST, SHOULD and MAY
// of the spec it checks) against the app, in-process, on a temporary SQLite journal. Every
// audit must be ok: a notice or a warning is a failure here, named with its reason.
import { serverAudits } from 'graphql-http';
import { expect, test } from 'vitest';
import { makeService } from './helpers.ts';

/** The audits of the pinned graphql-http (1.23.1); a new version's new audits show here. */
const AUDITS = 61;

test('every graphql-http server audit is ok', async () => {
  const s = await makeService();
  const audits = serverAudits({
    url: 'http://localhost/graphql',
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) =>
      s.app.fetch(new Request(input, init)),
  });
  expect(audits).toHaveLength(AUDITS);
  const results = await Promise.all(audits.map((audit) => audit.fn()));
  const notOk = results.flatMap((r) =>
    r.status === 'ok' ? [] : [`${r.id} ${r.name}: ${r.status}: ${r.reason}`],
  );
  expect(notOk).toEqual([]);
  expect(results.filter((r) => r.status === 'ok')).toHaveLength(AUDITS);
});
