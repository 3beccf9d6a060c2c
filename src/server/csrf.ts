// CSRF prevention where it protects something. A browser sends a cross-site GET, or a
// cross-site POST of a form or `text/plain`, without a CORS preflight. Such a POST could run
// a mutation, so a POST must be preflighted: a non-simple content type (JSON), or a header
// that only a preflight lets through (`x-graphql-yoga-csrf`; `Authorization`, which a
// browser never adds by itself). A GET never runs a mutation (Yoga refuses one with 405)
// and, CORS being off (app.ts), its answer cannot be read by the page that sent it: GET is
// left to clients' defaults (urql sends queries as GET). Yoga's plugin has no option to
// exempt a method, hence this wrapper.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/** The headers that mark a POST as preflighted. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'authorization'];

/** Yoga's CSRF prevention, for every request but a GET. */
export function useCSRFPreventionButGet(): Plugin {
  const { onRequestParse } = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse: (payload) =>
      payload.request.method === 'GET' ? undefined : onRequestParse?.(payload),
  };
}
