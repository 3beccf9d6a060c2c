// /health and /ready, answered in JSON: { status, journal, database }.
//
// /health (liveness) is 200 while the process serves, and never touches the database
// (a database outage must not get a healthy process restarted): `database` is
// "not checked". /ready (readiness) is 200 when the journal is off (it needs no database,
// and the kill-switch opens none: "not opened") or when the journal can read and write its
// table, found within READY_TIMEOUT_MS ("up"); else 503, status "unavailable", with why:
// "read-only", "corrupt" or "down" (database.ts, DatabaseState).
import { type Plugin, useReadinessCheck } from 'graphql-yoga';
import type { DatabaseHandle, DatabaseState } from '../db/database.ts';
import type { SettingsSource } from '../settings.ts';

const READY_TIMEOUT_MS = 1000;

export interface EndpointAnswer {
  status: 'ok' | 'unavailable';
  journal: 'on' | 'off';
  database: DatabaseState | 'not opened' | 'not checked';
}

function answer(fetchAPI: { Response: typeof Response }, body: EndpointAnswer): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status: body.status === 'ok' ? 200 : 503,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** `/ready`, probing the database only with the journal on. */
export function useReadiness(db: DatabaseHandle, settings: SettingsSource): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    check: async ({ fetchAPI }) => {
      if (!settings.current().enabled)
        return answer(fetchAPI, { status: 'ok', journal: 'off', database: 'not opened' });
      const database = await db.ping(READY_TIMEOUT_MS);
      return answer(fetchAPI, {
        status: database === 'up' ? 'ok' : 'unavailable',
        journal: 'on',
        database,
      });
    },
  });
}

/**
 * `/health` with a body. Yoga's built-in check (`healthCheckEndpoint`) answers first with
 * an empty 200 and takes no body, so its answer is replaced on the way out.
 */
export function useHealthBody(settings: SettingsSource): Plugin {
  return {
    onResponse({ request, setResponse, fetchAPI }) {
      // The cheap test first: this runs for every answer.
      if (!request.url.endsWith('/health') || new URL(request.url).pathname !== '/health') return;
      const journal = settings.current().enabled ? 'on' : 'off';
      setResponse(answer(fetchAPI, { status: 'ok', journal, database: 'not checked' }));
    },
  };
}
