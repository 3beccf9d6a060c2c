// Who may call what: bearer tokens with three roles.
//
//   writer (the orchestrator): recordLesson, lessonsSnapshot, lessonSlugs
//   reader (the agents):       every query
//   admin  (operators):        everything, updateLesson included
//
// Tokens come from LESSONS_TOKENS (`role:token,role:token`) or LESSONS_TOKENS_FILE (a JSON
// array of {"role", "token", "name"?}); a bad token configuration stops the service at
// start, with a message that quotes nothing of a token or of the file (../config-file.ts),
// and a tokens file that group or others may read or write is warned about. Presented
// tokens are compared in constant time (SHA-256 digests with timingSafeEqual, every
// configured token tried), without touching the database. With no token configured the
// service is open (everyone is admin), which it allows only on a loopback address. Tokens
// are never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { exposedFileWarning, parseConfigJson } from '../config-file.ts';

export const ROLES = ['writer', 'reader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a role, or why there is none. */
export type Caller =
  | {
      role: Role;
      /** The token's name (its entry's, when the configuration gives none): rate limits. */
      name: string;
      /** Who the history names: the token's given name, else its role; `anonymous` when open. */
      actor: string;
    }
  | { role: null; reason: 'missing' | 'unknown' };

export interface Authenticator {
  /** False when no token is configured: every caller is admin (loopback only). */
  readonly required: boolean;
  /** The caller behind an `Authorization` header value. */
  identify(authorization: string | null): Caller;
}

interface TokenEntry {
  role: Role;
  name: string;
  actor: string;
  digest: Buffer;
}

export class TokenConfigError extends Error {
  override name = 'TokenConfigError';
}

/** A token's SHA-256 digest: digests have one length, so timingSafeEqual can compare them. */
export const tokenDigest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** The digest of the bearer token an Authorization header presents, if it presents one. */
export function presentedDigest(authorization: string | null): Buffer | undefined {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return token ? tokenDigest(token) : undefined;
}

function entry(role: unknown, token: unknown, name: unknown, where: string): TokenEntry {
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new TokenConfigError(`${where}: role must be one of ${ROLES.join(', ')}`);
  }
  if (typeof token !== 'string' || token.trim().length < 8) {
    throw new TokenConfigError(`${where}: a token must be at least 8 characters`);
  }
  return {
    role: role as Role,
    name: typeof name === 'string' && name ? name : `${role} #${where}`,
    actor: typeof name === 'string' && name ? name : role,
    digest: tokenDigest(token.trim()),
  };
}

/**
 * The configured tokens. Throws TokenConfigError on a configuration that can't be right;
 * a tokens file that group or others may read goes to `warn`.
 */
export function loadTokens(
  env: Record<string, string | undefined>,
  warn: (message: string) => void = () => {},
): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const list = env.LESSONS_TOKENS?.trim();
  if (list) {
    list.split(',').forEach((pair, i) => {
      const at = pair.indexOf(':');
      const where = `LESSONS_TOKENS entry ${i + 1}`;
      if (at < 0) throw new TokenConfigError(`${where}: expected role:token`);
      entries.push(entry(pair.slice(0, at).trim(), pair.slice(at + 1), undefined, where));
    });
  }
  const file = env.LESSONS_TOKENS_FILE?.trim();
  if (file) {
    let parsed: unknown;
    try {
      parsed = parseConfigJson(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TokenConfigError(
        `LESSONS_TOKENS_FILE ${file}: ${error instanceof Error ? error.message : error}`,
      );
    }
    const exposed = exposedFileWarning('LESSONS_TOKENS_FILE', file);
    if (exposed) warn(exposed);
    if (!Array.isArray(parsed)) {
      throw new TokenConfigError(
        `LESSONS_TOKENS_FILE ${file}: expected a JSON array of {"role", "token", "name"}`,
      );
    }
    parsed.forEach((item: { role?: unknown; token?: unknown; name?: unknown }, i) => {
      entries.push(
        entry(item?.role, item?.token, item?.name, `LESSONS_TOKENS_FILE entry ${i + 1}`),
      );
    });
  }
  const seen = new Set<string>();
  for (const e of entries) {
    const key = e.digest.toString('hex');
    if (seen.has(key)) throw new TokenConfigError('the same token is configured twice');
    seen.add(key);
  }
  return entries;
}

export function createAuthenticator(entries: TokenEntry[]): Authenticator {
  return {
    required: entries.length > 0,
    identify(authorization) {
      if (entries.length === 0) {
        return { role: 'admin', name: 'open (no tokens configured)', actor: 'anonymous' };
      }
      const presented = presentedDigest(authorization);
      if (!presented) return { role: null, reason: 'missing' };
      let found: TokenEntry | undefined;
      for (const e of entries) {
        // Every entry is compared, so the time taken says nothing about which one matched.
        if (timingSafeEqual(presented, e.digest) && !found) found = e;
      }
      return found
        ? { role: found.role, name: found.name, actor: found.actor }
        : { role: null, reason: 'unknown' };
    },
  };
}

/** Whether a listen address is loopback only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}
