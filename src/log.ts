// The service's logger: structured JSON lines (pino) for machines, pretty lines when
// stdout is a terminal. Never logs tokens or `detail` payloads at info level or above.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, pretty = Boolean(process.stdout.isTTY)): Logger {
  return pino({
    name: 'lessons-journal',
    level,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  });
}
