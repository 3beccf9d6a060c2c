// The HTTP application: GraphQL over HTTP at /graphql (GraphiQL there in a browser, served
// from the package, no CDN), GET /health (the process lives), GET /ready (the journal can
// answer: the database responds within a second, or the journal is off), GET /metrics
// (Prometheus text). It holds no logic of its own: resolvers call the journal.
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.ts';
import type { Journal } from '../journal/index.ts';
import type { JournalMetrics } from '../metrics.ts';
import { type GraphQLContext, schema } from '../schema/index.ts';
import type { SettingsSource } from '../settings.ts';

export interface AppDeps {
  journal: Journal;
  db: DatabaseHandle;
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
}

export type App = YogaServerInstance<Record<string, never>, GraphQLContext>;

const READY_TIMEOUT_MS = 1000;

export function createApp(deps: AppDeps): App {
  const { journal, db, settings, log, metrics } = deps;
  const yogaLog = log.child({ component: 'http' });
  return createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'lessons-journal' },
    renderGraphiQL,
    maskedErrors: true,
    logging: {
      debug: (...args) => yogaLog.debug(args.map(String).join(' ')),
      info: (...args) => yogaLog.info(args.map(String).join(' ')),
      warn: (...args) => yogaLog.warn(args.map(String).join(' ')),
      error: (...args) => yogaLog.error(args.map(String).join(' ')),
    },
    context: () => ({ journal }),
    plugins: [
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          let enabled = false;
          try {
            enabled = settings.current().enabled;
          } catch {
            // An unreadable switch means off, and off is ready.
          }
          return !enabled || (await db.ping(READY_TIMEOUT_MS));
        },
      }),
      usePrometheus({
        registry: metrics.registry,
        endpoint: '/metrics',
        metrics: {
          graphql_yoga_http_duration: true,
          graphql_envelop_request_duration: true,
          graphql_envelop_error_result: true,
        },
      }),
    ],
  });
}
