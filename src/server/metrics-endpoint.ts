// GET /metrics (Prometheus text): the journal's counters (src/metrics.ts), request latency
// and errors, and who may read them.
//
// Promise: the number of series is bounded whatever clients send. The request metrics
// (graphql_yoga_http_duration, graphql_envelop_request_duration, graphql_envelop_error_result)
// are labelled only from bounded sets: the operation type, the root field (a field of the
// schema's root type, `multiple` for several, `other` for anything else), the HTTP method and
// status, the error's phase. Never a client's text: no operation name, URL, query string,
// variable or error path (the plugin's defaults label with all of these).
//
// Who may read it: with no token configured (loopback only) anyone, like the rest of the
// service; otherwise the metrics token (LESSONS_METRICS_TOKEN, a scraper's, which opens
// nothing else) or an admin token. No known token: 401; a writer's or reader's: 403.
import { timingSafeEqual } from 'node:crypto';
import {
  createCounter,
  createHistogram,
  type FillLabelsFnParams,
  usePrometheus,
} from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, type GraphQLSchema, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { type Caller, presentedDigest, tokenDigest } from './auth.ts';

const ENDPOINT = '/metrics';

export interface MetricsEndpointOptions {
  registry: Registry;
  schema: GraphQLSchema;
  /** The caller of a request (the app's, shared with GraphQL). */
  identify: (request: Request) => Caller;
  /** LESSONS_METRICS_TOKEN: undefined when not set; '' when set but unusable. */
  metricsToken: string | undefined;
}

/** The bounded labels of an operation. */
function operationLabels(
  schema: GraphQLSchema,
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
): { operationType: string; rootField: string } {
  const operation = document && getOperationAST(document, operationName);
  if (!operation) return { operationType: 'unknown', rootField: 'other' };
  const fields = schema.getRootType(operation.operation)?.getFields() ?? {};
  const names = new Set(
    operation.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '')),
  );
  const [only = ''] = names;
  const rootField = names.size > 1 ? 'multiple' : Object.hasOwn(fields, only) ? only : 'other';
  return { operationType: operation.operation, rootField };
}

/** The operation name the request chose (it selects the operation; it is never a label). */
const chosen = (context: unknown) =>
  (context as { params?: { operationName?: string | null } } | null)?.params?.operationName;

/** 401 / 403 for /metrics without the right token, before the plugin serves it. */
function useMetricsAccess(
  identify: MetricsEndpointOptions['identify'],
  metricsToken: string | undefined,
): Plugin {
  const expected = metricsToken ? tokenDigest(metricsToken) : undefined;
  const isMetricsToken = (authorization: string | null) => {
    const presented = presentedDigest(authorization);
    // Digests of equal length, compared in constant time (as auth.ts does).
    return !!expected && !!presented && timingSafeEqual(presented, expected);
  };
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== ENDPOINT) return;
      if (isMetricsToken(request.headers.get('authorization'))) return;
      const caller = identify(request);
      if (caller.role === 'admin') return;
      const refusal = (status: number, message: string, headers: Record<string, string> = {}) =>
        endResponse(
          new fetchAPI.Response(`${message}\n`, {
            status,
            headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
          }),
        );
      if (caller.role === null) {
        refusal(
          401,
          '/metrics needs a bearer token: the metrics token (LESSONS_METRICS_TOKEN) or an admin token',
          { 'www-authenticate': 'Bearer' },
        );
      } else {
        refusal(403, `a ${caller.role} token may not read /metrics`);
      }
    },
  };
}

export function useMetricsEndpoint(options: MetricsEndpointOptions): Plugin {
  const { registry, schema } = options;
  const labelsOf = (params: FillLabelsFnParams, context: unknown) =>
    operationLabels(schema, params.document, chosen(context));
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useMetricsAccess(options.identify, options.metricsToken));
      addPlugin(
        usePrometheus({
          registry,
          endpoint: ENDPOINT,
          // Request latency and errors; the per-phase and per-field metrics the plugin
          // enables by default cost every request a few histogram updates nobody here reads.
          metrics: {
            graphql_yoga_http_duration: createHistogram({
              registry,
              histogram: {
                name: 'graphql_yoga_http_duration',
                help: 'Time spent on HTTP connection',
                labelNames: ['operationType', 'rootField', 'method', 'statusCode'],
              },
              fillLabelsFn: (params, { request, response }) => ({
                // Yoga has already chosen the operation: its own name, not the client's text.
                ...operationLabels(schema, params.document, params.operationName),
                method: request.method,
                statusCode: response.status,
              }),
            }),
            graphql_envelop_request_duration: createHistogram({
              registry,
              histogram: {
                name: 'graphql_envelop_request_duration',
                help: 'Time spent on running the GraphQL operation from parse to execute',
                labelNames: ['operationType', 'rootField'],
              },
              fillLabelsFn: labelsOf,
            }),
            graphql_envelop_error_result: createCounter({
              registry,
              counter: {
                name: 'graphql_envelop_error_result',
                help: 'Counts the amount of errors reported from all phases',
                labelNames: ['operationType', 'rootField', 'phase'],
              },
              fillLabelsFn: (params, context) => ({
                ...labelsOf(params, context),
                phase: params.errorPhase,
              }),
            }),
            graphql_envelop_request: false,
            graphql_envelop_request_time_summary: false,
            graphql_envelop_deprecated_field: false,
            graphql_envelop_phase_parse: false,
            graphql_envelop_phase_validate: false,
            graphql_envelop_phase_context: false,
            graphql_envelop_phase_execute: false,
            graphql_envelop_phase_subscribe: false,
            graphql_envelop_schema_change: false,
          },
        }),
      );
    },
  };
}
