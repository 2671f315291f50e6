import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

import { migrateToLatest, openDatabase, type QueryObserver } from '../storage/create-database.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';

/** A driver connection to the same database, beside the storage layer, for baselines and seeding. */
export type RawConnection =
  { dialect: 'sqlite'; db: BetterSqlite3.Database } | { dialect: 'postgres'; client: pg.Client };

/** A fresh, migrated, empty database opened the way production opens it, plus a raw connection to it. */
export type BenchDatabase = {
  dialect: DialectName;
  /** Where it lives, for the report (temp file path or database name). */
  location: string;
  storage: Storage;
  raw: RawConnection;
  /** Closes both connections and deletes the database. Safe to call twice. */
  dispose(): Promise<void>;
};

/** Something to clean up: a database, a temp directory, a child process. */
export type Disposable = { dispose(): Promise<void> };

/** Pending disposals, so Ctrl-C does not leave temp files, databases or child processes behind. */
const live = new Set<Disposable>();

/** Registers a clean-up that `disposeAll` runs if the benchmark is interrupted or fails. */
export function track(disposable: Disposable): void {
  live.add(disposable);
}

export function untrack(disposable: Disposable): void {
  live.delete(disposable);
}

export async function disposeAll(): Promise<void> {
  for (const disposable of [...live]) await disposable.dispose().catch(() => undefined);
}

/** The pragmas `openDatabase` sets; the raw baseline must run under the same ones. */
export function applyProductionPragmas(db: BetterSqlite3.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
}

export function databaseUrl(serverUrl: string, name: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function onAdmin(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A fresh name for a throwaway PostgreSQL database. */
export function benchDatabaseName(prefix = 'waymark_bench'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export type CreateOptions = { postgresUrl?: string; onQuery?: QueryObserver };

export async function createBenchDatabase(dialect: DialectName, options: CreateOptions = {}): Promise<BenchDatabase> {
  const secretBox = new SecretBox(randomBytes(32));
  const openOptions = options.onQuery ? { onQuery: options.onQuery } : {};
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
    const path = join(dir, 'bench.db');
    const opened = openDatabase(`sqlite:${path}`, openOptions);
    await migrateToLatest(opened.db, opened.dialect);
    const storage = Storage.fromDatabase(opened.db, opened.dialect, secretBox);
    const raw = new BetterSqlite3(path);
    applyProductionPragmas(raw);
    let disposed = false;
    const database: BenchDatabase = {
      dialect,
      location: path,
      storage,
      raw: { dialect: 'sqlite', db: raw },
      async dispose() {
        if (disposed) return;
        disposed = true;
        live.delete(database);
        raw.close();
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    live.add(database);
    return database;
  }

  const serverUrl = options.postgresUrl;
  if (!serverUrl) throw new Error('WAYMARK_BENCH_POSTGRES_URL is not set');
  const name = benchDatabaseName();
  await onAdmin(serverUrl, `create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  let storage: Storage | undefined;
  let client: pg.Client | undefined;
  try {
    const opened = openDatabase(url, openOptions);
    storage = Storage.fromDatabase(opened.db, opened.dialect, secretBox);
    await migrateToLatest(opened.db, opened.dialect);
    client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
    await client.connect();
  } catch (error) {
    await storage?.close().catch(() => undefined);
    await onAdmin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
    throw error;
  }
  // Constants, so the closure below keeps the narrowed types.
  const connections = { storage, client };
  let disposed = false;
  const database: BenchDatabase = {
    dialect,
    location: name,
    storage: connections.storage,
    raw: { dialect: 'postgres', client: connections.client },
    async dispose() {
      if (disposed) return;
      disposed = true;
      live.delete(database);
      await connections.client.end().catch(() => undefined);
      await connections.storage.close().catch(() => undefined);
      await onAdmin(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
  live.add(database);
  return database;
}

/** Server version string, e.g. `3.53.2` or `15.20 (Debian 15.20-0+deb12u1)`. */
export async function serverVersion(raw: RawConnection): Promise<string> {
  if (raw.dialect === 'sqlite') {
    return (raw.db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  }
  const result = await raw.client.query<{ server_version: string }>('show server_version');
  return result.rows[0]?.server_version ?? 'unknown';
}

/** A few server settings that explain PostgreSQL numbers. */
export async function postgresSettings(raw: RawConnection): Promise<Record<string, string>> {
  if (raw.dialect !== 'postgres') return {};
  const result = await raw.client.query<{ name: string; setting: string; unit: string | null }>(
    `select name, setting, unit from pg_settings
      where name in ('shared_buffers', 'work_mem', 'synchronous_commit', 'fsync', 'max_wal_size', 'random_page_cost')
      order by name`,
  );
  return Object.fromEntries(result.rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting]));
}
