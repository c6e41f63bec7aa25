/**
 * One in-process DuckDB instance, opened lazily, with extension autoloading and autoinstalling off
 * (an extension download would be a network access: privsynth never makes one).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

let conn: Promise<DuckDBConnection> | null = null;

export function duckdb(): Promise<DuckDBConnection> {
  if (!conn) {
    conn = (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        enable_external_access: 'true',
        threads: '2',
      });
      return inst.connect();
    })();
  }
  return conn;
}

/** Quote a file path as a SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
