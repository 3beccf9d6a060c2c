// One GraphQL request over HTTP, shared by the never-raise client and the operator CLI:
// plain fetch, a POST of the printed document, `Authorization: Bearer` when a token is
// given, and a hard bound on the whole exchange (connect, headers and body) from
// AbortSignal.timeout.
//
// Its promise: the answer's `data` (and its `extensions` to whoever asks), or a
// LessonsRequestError whose `kind` and message say
// what went wrong (bad configuration, input that can't be sent, unreachable, timeout, an
// auth refusal, an HTTP failure, something that is not a GraphQL response, GraphQL
// errors). It never logs and never swallows: the client turns the error into a safe
// default and one warning, the CLI into a message and an exit code.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';

export type FailureKind =
  | 'config'
  | 'invalid_input'
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'http'
  | 'not_graphql'
  | 'graphql';

export class LessonsRequestError extends Error {
  override name = 'LessonsRequestError';
  readonly kind: FailureKind;
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;
  /** The `extensions.code` of each GraphQL error in the answer. */
  readonly codes: string[];

  constructor(kind: FailureKind, message: string, status?: number, codes: string[] = []) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.codes = codes;
  }
}

export const DEFAULT_TIMEOUT_MS = 2000;

export interface TransportOptions {
  /** The GraphQL endpoint, such as http://127.0.0.1:4000/graphql. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; none when empty. */
  token?: string | undefined;
  /** Bound on one request, in ms; anything but a positive finite number means the default. */
  timeoutMs?: number | undefined;
}

export interface Transport {
  readonly url: string;
  readonly timeoutMs: number;
  /** `data`; `extensions` hears the answer's extensions object, when it has one. */
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    extensions?: (extensions: Record<string, unknown>) => void,
  ): Promise<TData>;
}

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

const printed = new WeakMap<DocumentNode, string>();
function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export function createTransport(options: TransportOptions): Transport {
  const { url } = options;
  const timeoutMs =
    typeof options.timeoutMs === 'number' &&
    Number.isFinite(options.timeoutMs) &&
    options.timeoutMs > 0
      ? options.timeoutMs
      : DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const badUrl = urlProblem(url);

  return {
    url,
    timeoutMs,
    async request<TData, TVariables>(
      document: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
      extensions?: (extensions: Record<string, unknown>) => void,
    ): Promise<TData> {
      if (badUrl) throw new LessonsRequestError('config', badUrl);
      let body: string;
      try {
        body = JSON.stringify({ query: source(document), variables });
      } catch (error) {
        throw new LessonsRequestError(
          'invalid_input',
          `the input can't be sent as JSON: ${describe(error)}`,
        );
      }
      let status: number;
      let statusText: string;
      let contentType: string;
      let text: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        statusText = response.statusText;
        contentType = response.headers.get('content-type') ?? 'no content-type';
        text = await response.text();
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new LessonsRequestError('timeout', `no answer from ${url} within ${timeoutMs} ms`);
        }
        throw new LessonsRequestError('unreachable', `cannot reach ${url}: ${networkCause(error)}`);
      }
      const answer = interpret(url, status, statusText, contentType, text);
      if (answer.extensions) extensions?.(answer.extensions);
      return answer.data as TData;
    },
  };
}

function urlProblem(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'http:' || protocol === 'https:') return undefined;
    return `the service URL must be http or https, not ${JSON.stringify(url)}`;
  } catch {
    return `the service URL is not a URL: ${JSON.stringify(url)}`;
  }
}

interface GraphQLErrorJson {
  message?: unknown;
  extensions?: { code?: unknown };
}

/** The `data` (and `extensions`) of an answer, or the error that describes it. */
function interpret(
  url: string,
  status: number,
  statusText: string,
  contentType: string,
  text: string,
): { data: Record<string, unknown>; extensions?: Record<string, unknown> } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: told apart below, after the status.
  }
  const errors: GraphQLErrorJson[] =
    isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
  const codes = errors.flatMap((e) =>
    typeof e.extensions?.code === 'string' ? [e.extensions.code] : [],
  );
  const messages = errors
    .map((e) => {
      const code = e.extensions?.code;
      return `${String(e.message ?? 'no message')}${typeof code === 'string' ? ` (${code})` : ''}`;
    })
    .join('; ');
  const http = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;

  if (status === 401 || status === 403 || codes.some((c) => AUTH_CODES.has(c))) {
    const what =
      status === 403 || codes.includes('FORBIDDEN')
        ? 'not authorized (the token may not do this)'
        : 'not authenticated (a missing or unknown token)';
    throw new LessonsRequestError(
      'auth',
      `${url} refused the request: ${what}: ${http}${messages ? `: ${messages}` : ''}`,
      status,
      codes,
    );
  }
  if (status >= 500) {
    throw new LessonsRequestError(
      'http',
      `${url} failed: ${http}${messages ? `: ${messages}` : ''}`,
      status,
      codes,
    );
  }
  if (errors.length > 0) {
    throw new LessonsRequestError(
      'graphql',
      `${url} answered with errors (${http}): ${messages}`,
      status,
      codes,
    );
  }
  if (status < 200 || status > 299) {
    throw new LessonsRequestError('http', `${url} answered ${http}`, status);
  }
  if (!isRecord(body) || !isRecord(body.data)) {
    throw new LessonsRequestError(
      'not_graphql',
      `${url} did not answer with a GraphQL response (${http}, ${contentType}: ${excerpt(text)})`,
      status,
    );
  }
  return isRecord(body.extensions)
    ? { data: body.data, extensions: body.extensions }
    : { data: body.data };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return 'an empty body';
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** fetch's "fetch failed" hides the reason in `cause` (an AggregateError with IPv4 + IPv6). */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const inner = cause instanceof AggregateError ? cause.errors[0] : cause;
  const code = (inner as { code?: unknown })?.code ?? (cause as { code?: unknown })?.code;
  const reason = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'the connection was reset',
    UND_ERR_SOCKET: 'the connection was closed before an answer',
    ENOTFOUND: 'unknown host',
    EHOSTUNREACH: 'host unreachable',
  }[String(code)];
  const detail = inner instanceof Error ? inner.message : describe(cause ?? error);
  return reason ? `${reason} (${code})` : `${detail}${code ? ` (${code})` : ''}`;
}
