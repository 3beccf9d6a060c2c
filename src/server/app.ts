// The HTTP application: GraphQL over HTTP at /graphql (GraphiQL there in a browser, served
// from the package, no CDN: graphiql.ts), GET /health (the process lives) and GET /ready
// (the journal can answer: its table responds within a second, or the journal is off), both
// in JSON (endpoints.ts), GET /metrics (Prometheus text with bounded labels, for the
// metrics token or an admin token once tokens are configured: metrics-endpoint.ts). It
// holds no journal logic: resolvers call the journal.
//
// Its promise is about who and what gets in, before any resolver runs:
// - a missing or unknown bearer token gets 401 UNAUTHENTICATED (when tokens are
//   configured); a role that may not use a field gets 403 FORBIDDEN (builder.ts). Neither
//   touches the database, so both hold with the journal off or its database down;
// - hostile documents are refused at validation (GraphQL Armor: depth, aliases,
//   directives, tokens; and their cost: cost.ts), a query's answer over the size bound is
//   refused whole (response-size.ts), bodies over the limit get 413 (body-limit.ts),
//   batching is off, a simple (CSRF-able) POST needs a preflight-forcing header and CORS is
//   off (csrf.ts),
//   unexpected errors are masked, introspection and field suggestions are for admins and
//   local development only.

import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.ts';
import type { Journal } from '../journal/index.ts';
import type { JournalMetrics } from '../metrics.ts';
import { type GraphQLContext, schema } from '../schema/index.ts';
import { type Limits, type SettingsSource, serverSettingsFromEnv } from '../settings.ts';
import { type Authenticator, type Caller, createAuthenticator } from './auth.ts';
import { useBodyLimit } from './body-limit.ts';
import { useCostLimit } from './cost.ts';
import { useCSRFPreventionButGet } from './csrf.ts';
import { useHealthBody, useReadiness } from './endpoints.ts';
import { GRAPHIQL_OPTIONS, useCompressedGraphiQL } from './graphiql.ts';
import { useMetricsEndpoint } from './metrics-endpoint.ts';
import { useOutcomes } from './outcomes.ts';
import { useResponseSizeLimit } from './response-size.ts';

export interface AppDeps {
  journal: Journal;
  db: DatabaseHandle;
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
  /** Who may call (default: open, as with no token configured). */
  auth?: Authenticator;
  /** Query and request limits (default: the documented defaults). */
  limits?: Limits;
}

export type App = YogaServerInstance<Record<string, never>, GraphQLContext>;

/**
 * Armor's rules throw their refusal out of validation by default, which reaches the caller
 * as an HTTP 200; reported through the validation context instead, it is a validation
 * error like any other (400, GRAPHQL_VALIDATION_FAILED).
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error),
  ],
};

/** 401 for a GraphQL request without a known token, before it is even parsed. */
function useAuthentication(identify: (request: Request) => Caller): Plugin {
  return {
    onRequestParse({ request }) {
      const caller = identify(request);
      if (caller.role !== null) return;
      throw createGraphQLError(
        caller.reason === 'missing'
          ? 'a bearer token is required (Authorization: Bearer <token>)'
          : 'unknown bearer token',
        {
          extensions: {
            code: 'UNAUTHENTICATED',
            http: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
          },
        },
      );
    },
  };
}

export function createApp(deps: AppDeps): App {
  const { journal, db, settings, log, metrics } = deps;
  const auth = deps.auth ?? createAuthenticator([]);
  const limits = deps.limits ?? serverSettingsFromEnv({}, () => {}).limits;
  const yogaLog = log.child({ component: 'http' });
  // One identification per request, shared by the plugins and the context.
  const callers = new WeakMap<Request, Caller>();
  const identify = (request: Request): Caller => {
    let caller = callers.get(request);
    if (!caller) {
      caller = auth.identify(request.headers.get('authorization'));
      callers.set(request, caller);
    }
    return caller;
  };
  const introspectionAllowed = (request: Request) =>
    limits.introspection === 'on' ||
    (limits.introspection === 'auto' && (!auth.required || identify(request).role === 'admin'));

  return createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL,
    maskedErrors: true,
    batching: false,
    // No CORS headers: a page of another origin can neither read an answer nor pass a
    // preflight, which is what CSRF prevention relies on (csrf.ts). Yoga's default would
    // reflect any Origin, with credentials.
    cors: false,
    maxRequestBodySize: false, // bounded by useBodyLimit (body-limit.ts)
    logging: {
      debug: (...args) => yogaLog.debug(args.map(String).join(' ')),
      info: (...args) => yogaLog.info(args.map(String).join(' ')),
      warn: (...args) => yogaLog.warn(args.map(String).join(' ')),
      error: (...args) => yogaLog.error(args.map(String).join(' ')),
    },
    context: ({ request }) => ({
      journal,
      caller: identify(request),
      maxResponseBytes: limits.maxResponseBytes,
    }),
    plugins: [
      useReadiness(db, settings),
      useHealthBody(settings),
      useCompressedGraphiQL(),
      useOutcomes(),
      useMetricsEndpoint({
        registry: metrics.registry,
        schema,
        identify,
        metricsToken: limits.metricsToken,
      }),
      useCSRFPreventionButGet(),
      useBodyLimit(limits.maxBodyBytes),
      ...(auth.required ? [useAuthentication(identify)] : []),
      useDisableIntrospection({ isDisabled: (request) => !introspectionAllowed(request) }),
      maxTokensPlugin({ n: limits.maxTokens }),
      maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, ...asValidationError }),
      maxAliasesPlugin({ n: limits.maxAliases, ...asValidationError }),
      maxDirectivesPlugin({ n: limits.maxDirectives, ...asValidationError }),
      useCostLimit(limits.maxCost, settings),
      useResponseSizeLimit(limits.maxResponseBytes),
      // Strangers get no "Did you mean ...?": with tokens configured, nobody does.
      ...(auth.required ? [blockFieldSuggestionsPlugin()] : []),
    ],
  });
}
