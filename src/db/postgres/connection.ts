// A PostgreSQL URL as node-postgres settings: pg knows no `schema` parameter, so it is
// taken out and applied as the search_path.
import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/** The connection settings of a URL, without its `schema` parameter, and that schema. */
export function connectionConfig(url: string): { config: pg.ClientConfig; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') || 'public';
  parsed.searchParams.delete('schema');
  const config = parseIntoClientConfig(parsed.toString());
  return { config, schema };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
