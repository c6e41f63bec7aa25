/**
 * One in-process DuckDB instance, opened lazily, with extension autoloading, autoinstalling and
 * community extensions off (an extension download would be a network access: privsynth never makes
 * one), and its spill files (if a query ever spills) in the system temp directory, not in the
 * working directory. DuckDB itself has no telemetry (see security/nativeTelemetry.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { disableNativeTelemetry } from '../security/nativeTelemetry.js';

let conn: Promise<DuckDBConnection> | null = null;

export function duckdb(): Promise<DuckDBConnection> {
  if (!conn) {
    conn = (async () => {
      disableNativeTelemetry();
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
        temp_directory: path.join(tmpdir(), `privsynth-duckdb-${process.pid}`),
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
