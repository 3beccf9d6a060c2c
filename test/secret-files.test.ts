// Files that may hold secrets (LESSONS_TOKENS_FILE, LESSONS_SETTINGS_FILE): an error about
// one names the file and the line and column of the fault, never any of its text, whatever
// the runtime's JSON.parse says (Node 20 and Node 24 quote the text around the fault in
// different words); and a tokens file readable by group or others is warned about at start.
// Kept free of the database (no test/helpers.ts), so that it also runs on a Node whose
// native modules are not built (`node24 node_modules/vitest/vitest.mjs run <this file>`).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { parseConfigJson } from '../src/config-file.ts';
import { loadTokens, TokenConfigError } from '../src/server/auth.ts';
import { createSettingsSource } from '../src/settings.ts';
import { runToExit, startServer } from './process.ts';

const SECRET = 'qz7Wv9KpXr4Lm2Nb8Tj5Hy6Dc3';

/** Every 5-character piece of the secret: none may appear in what is logged or thrown. */
const PIECES = Array.from({ length: SECRET.length - 4 }, (_, i) => SECRET.slice(i, i + 5));

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileWith(name: string, text: string, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), 'lessons-secret-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

/** The 1-based line and column of the first occurrence of `marker` in `text`. */
function positionOf(text: string, marker: string): string {
  const offset = text.indexOf(marker);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

function expectNoSecret(text: string) {
  for (const piece of PIECES) expect(text).not.toContain(piece);
}

/** Tokens files with a syntax error right after (or inside) the secret, and where it is. */
const BROKEN_TOKENS: [what: string, text: string, at: string][] = [
  [
    'a stray character after the quoted token',
    `[\n  {"role": "writer", "token": "${SECRET}"x, "name": "orchestrator"}\n]\n`,
    `x, "name"`,
  ],
  ['an unquoted token', `[\n  {"role": "reader",\n   "token": ${SECRET}}\n]\n`, SECRET],
  ['a token cut off by the end of the file', `[{"role": "admin", "token": "${SECRET}`, '\u0000'],
  [
    'a control character inside the token',
    `[{"role": "admin", "token": "${SECRET.slice(0, 9)}\t${SECRET.slice(9)}"}]`,
    '\t',
  ],
];

/** What JSON.parse says about the unquoted token on Node 20 (it quotes the text around the
 * fault) and the shape of Node 24's positions; the messages must depend on neither. */
const WORDINGS = {
  'this runtime': undefined,
  'Node 20': `Unexpected token 'q', ..." "token": ${SECRET.slice(0, 10)}"... is not valid JSON`,
  'Node 24': `Unexpected token 'q', ..." "token": ${SECRET.slice(0, 10)}"... is not valid JSON (line 3 column 13)`,
};

function positionIn(text: string, at: string): string {
  // '\u0000' marks "at the end of the text"
  return at === '\u0000' ? positionOf(`${text}\u0000`, at) : positionOf(text, at);
}

describe('a malformed tokens file', () => {
  test.each(BROKEN_TOKENS)(
    '%s: the error names the file and the position, never the token',
    (_what, text, at) => {
      const file = fileWith('tokens.json', text);
      let message = '';
      try {
        loadTokens({ LESSONS_TOKENS_FILE: file });
      } catch (error) {
        expect(error).toBeInstanceOf(TokenConfigError);
        message = String(error);
      }
      expect(message).toContain(
        `LESSONS_TOKENS_FILE ${file}: not valid JSON at ${positionIn(text, at)}`,
      );
      expectNoSecret(message);
    },
  );

  test.each(Object.entries(WORDINGS))(
    'the same message whatever JSON.parse says (%s)',
    (_runtime, wording) => {
      const [, text, at] = BROKEN_TOKENS[1] as (typeof BROKEN_TOKENS)[number];
      const file = fileWith('tokens.json', text);
      if (wording) {
        vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
          throw new SyntaxError(wording);
        });
      }
      expect(() => loadTokens({ LESSONS_TOKENS_FILE: file })).toThrow(
        new TokenConfigError(
          `LESSONS_TOKENS_FILE ${file}: not valid JSON at ${positionIn(text, at)}`,
        ),
      );
    },
  );

  test('a real server that refuses it at start logs the file and the position, not the token', async () => {
    const [, text, at] = BROKEN_TOKENS[1] as (typeof BROKEN_TOKENS)[number];
    const file = fileWith('tokens.json', text);
    const { code, lines } = await runToExit({
      LESSONS_TOKENS_FILE: file,
      LESSONS_ENABLED: 'false',
    });
    expect(code).toBe(1);
    const fatal = lines.find((l) => l.json?.msg === 'invalid token configuration');
    expect(fatal?.json?.reason).toBe(
      `LESSONS_TOKENS_FILE ${file}: not valid JSON at ${positionIn(text, at)}`,
    );
    expectNoSecret(lines.map((l) => l.text).join('\n'));
  });
});

describe('the position of a fault', () => {
  /** `offset` as the message states it. */
  const at = (text: string, offset: number) => {
    const before = text.slice(0, offset);
    return `not valid JSON at line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
  };

  test('is where JSON.parse puts it, wherever the message of the runtime gives one', () => {
    const broken = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', 'x', '}', ']', ',', ':', '"', '\t', '\n', '-', '01'),
      )
      .map(([json, cut, insert]) => {
        const i = cut % (json.length + 1);
        return insert === '' ? json.slice(0, i) : json.slice(0, i) + insert + json.slice(i);
      });
    let compared = 0;
    fc.assert(
      fc.property(broken, (text) => {
        let native: string | undefined;
        try {
          JSON.parse(text);
        } catch (error) {
          native = (error as Error).message;
        }
        if (native === undefined) return; // still valid JSON
        const position = /at position (\d+)/.exec(native)?.[1];
        expect(() => parseConfigJson(text)).toThrow(SyntaxError);
        if (position === undefined) return;
        compared += 1;
        expect(() => parseConfigJson(text)).toThrow(at(text, Number(position)));
      }),
      { numRuns: 2000 },
    );
    expect(compared).toBeGreaterThan(500);
  });

  test('deep nesting is no problem', () => {
    const text = `${'['.repeat(100_000)}x${']'.repeat(100_000)}`;
    expect(() => parseConfigJson(text)).toThrow(at(text, 100_000));
  });
});

describe('a malformed settings file', () => {
  const text = `{\n  "enabled": true,\n  "webhookSecret": "${SECRET}" "dedupWindowSeconds": 60\n}\n`;

  test.each(Object.entries(WORDINGS))(
    'is logged with the file and the position, never its text (%s)',
    (_runtime, wording) => {
      const file = fileWith('settings.json', text);
      const lines: string[] = [];
      const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
      if (wording) {
        vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
          throw new SyntaxError(wording);
        });
      }
      const settings = createSettingsSource({ env: {}, file, log });
      try {
        expect(settings.current().enabled).toBe(false);
        expect(lines).toHaveLength(1);
        const line = JSON.parse(lines[0] as string);
        expect(line).toMatchObject({
          level: 40,
          settingsFile: file,
          reason: `not valid JSON at ${positionOf(text, '"dedupWindowSeconds"')}`,
        });
        expectNoSecret(lines.join('\n'));
      } finally {
        settings.close();
      }
    },
  );
});

describe('a tokens file readable by group or others', () => {
  const tokens = JSON.stringify([{ role: 'writer', token: SECRET }]);

  test.each([
    [0o644, 1],
    [0o640, 1],
    [0o604, 1],
    [0o600, 0],
    [0o400, 0],
  ])('mode %o gives %i warning(s) naming the file, its mode and the fix', (mode, count) => {
    const file = fileWith('tokens.json', tokens, mode);
    const warnings: string[] = [];
    expect(loadTokens({ LESSONS_TOKENS_FILE: file }, (m) => warnings.push(m))).toHaveLength(1);
    const octal = `0${mode.toString(8)}`;
    expect(warnings).toEqual(
      count === 0
        ? []
        : [
            `LESSONS_TOKENS_FILE ${file} is readable or writable by group or others (mode ${octal}); ` +
              `restrict it with chmod 600 ${file}`,
          ],
    );
  });

  test('a real server started with a mode 644 tokens file logs that warning once', async () => {
    const file = fileWith('tokens.json', tokens, 0o644);
    const server = await startServer({ LESSONS_TOKENS_FILE: file, LESSONS_ENABLED: 'false' });
    const warnings = server.lines.filter(
      (l) => l.json?.level === 40 && String(l.json?.msg).includes('by group or others'),
    );
    expect(warnings.map((l) => l.json?.msg)).toEqual([
      `LESSONS_TOKENS_FILE ${file} is readable or writable by group or others (mode 0644); ` +
        `restrict it with chmod 600 ${file}`,
    ]);
    expectNoSecret(server.lines.map((l) => l.text).join('\n'));
  });
});
