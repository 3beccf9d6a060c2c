// `lessons`, the operator's CLI for the journal (bin/lessons.js runs it). Unlike the client
// it is for people, so it REPORTS failures instead of swallowing them: it shares the
// client's typed calls and transport, not its never-raise guard.
//
// Exit status: 0 done; 1 the service could not be reached, failed, refused (auth), or did
// not do it (not found, not recorded, not updated, not merged); 2 wrong usage or input
// (nothing is sent). Output goes to stdout, messages to stderr, each prefixed `lessons`.
import { parseArgs } from 'node:util';
import { createCalls } from '../client/calls.ts';
import { createTransport, LessonsRequestError } from '../client/transport.ts';
import { integer, text, UsageError, type Values } from './args.ts';
import { COMMANDS, type Command } from './commands.ts';

const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';
/** People can wait longer than a hot path, for an aggregate over a large journal. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** The width tables fit when the output is not a terminal. */
const DEFAULT_COLUMNS = 120;

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const GLOBAL_HELP = `Options for every command:
  --url <url>             the service's GraphQL endpoint (env LESSONS_URL;
                          default ${DEFAULT_URL})
  --token <token>         a bearer token (env LESSONS_TOKEN, which keeps it out of ps)
  --timeout <ms>          give up after this long (default ${DEFAULT_TIMEOUT_MS})
  --json                  print JSON (for scripts) instead of text
  -h, --help              this help`;

const USAGE = `Usage: lessons <command> [options]

The operator's tool for the lessons journal.

Commands:
${COMMANDS.map((c) => `  ${`${c.name}${c.argument ? ` ${c.argument}` : ''}`.padEnd(22)}  ${c.summary}`).join('\n')}

${GLOBAL_HELP}

Exit status: 0 done; 1 the service failed, refused or did not do it; 2 wrong usage.
Run 'lessons <command> --help' for a command's options.`;

export interface Io {
  env: Record<string, string | undefined>;
  /** The terminal's width, when the output is one. */
  columns?: number | undefined;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The whole CLI for these arguments: writes through `io`, returns the exit status. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const about = name === 'help' && rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (about) io.out(helpOf(about));
    else (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`lessons: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(command, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `lessons ${command.name}: ${error.message}\nRun 'lessons ${command.name} --help' for usage.`,
      );
      return 2;
    }
    if (error instanceof LessonsRequestError) {
      io.err(`lessons: ${error.message}${hint(error)}`);
      return error.kind === 'config' || error.kind === 'invalid_input' ? 2 : 1;
    }
    io.err(`lessons: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
    return 1;
  }
}

function helpOf(command: Command): string {
  return `${command.help}\n\n${GLOBAL_HELP}`;
}

async function run(command: Command, args: string[], io: Io): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values itself (its advice on
    // positionals that start with '-' is beside the point here).
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(helpOf(command));
    return 0;
  }
  // An argument in brackets ([<id>]) may be left out.
  const wanted = command.argument ? 1 : 0;
  const optional = command.argument?.startsWith('[') === true;
  if (positionals.length !== wanted && !(optional && positionals.length === 0)) {
    throw new UsageError(
      wanted
        ? `expected one argument, ${command.argument}`
        : `unexpected argument ${JSON.stringify(positionals[0])}`,
    );
  }
  const timeout = text(values, 'timeout');
  const transport = createTransport({
    url: text(values, 'url') ?? io.env.LESSONS_URL ?? DEFAULT_URL,
    token: text(values, 'token') ?? io.env.LESSONS_TOKEN,
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : integer(timeout, '--timeout'),
  });
  return command.run({
    values,
    positionals,
    calls: createCalls(transport),
    json: values.json === true,
    columns: io.columns ?? DEFAULT_COLUMNS,
    out: io.out,
    err: io.err,
  });
}

function hint(error: LessonsRequestError): string {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
      return '\nIs the service running there? Start it with `npm start`, or point --url (or LESSONS_URL) at it.';
    case 'auth':
      return error.status === 403 || error.codes.includes('FORBIDDEN')
        ? '\nThe token is known but its role may not do this; use a token with that right.'
        : '\nGive a valid token with --token or LESSONS_TOKEN.';
    default:
      return '';
  }
}

/** The program: process.argv and process.env in, stdout and stderr out, the exit status set. */
export async function cli(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
