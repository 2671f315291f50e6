import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type KyselyConfig,
  type MigrationResultSet,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';

import type { Database } from './database.js';
import { TranslatingDriver } from './database-errors.js';
import type { DialectName } from './migrations/column-types.js';
import { listMigrations, migrationProvider } from './migrations/index.js';
import { SAFETY_NET_CHECKPOINT_PAGES, startBackgroundCheckpoints } from './sqlite-checkpointer.js';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path.length === 0) throw new Error('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/waymark.db');
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0] ?? ''}:")`);
}

/**
 * SQLite's default deferred BEGIN takes the write lock only at the first
 * write, and a reader that then tries to write fails at once with BUSY when
 * another process committed meanwhile. BEGIN IMMEDIATE takes the lock up front
 * and waits for it under busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      // After SQLITE_FULL (or IOERR, NOMEM) SQLite has already rolled the transaction back
      // itself; ROLLBACK then finds nothing to undo, and its error would hide the real one.
      if (error instanceof Error && /no transaction is active/.test(error.message)) return;
      throw error;
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new TranslatingDriver(new ImmediateSqliteDriver(this.#config));
  }
}

class TranslatingPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new TranslatingDriver(super.createDriver());
  }
}

/** Distinct SQL texts kept prepared; Waymark's queries are a few hundred shapes at most. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver asks better-sqlite3 to prepare every query it runs,
 * and preparing costs more than running a small statement. Kysely sends the
 * same texts over and over (its parameters are bound, not inlined), so the
 * prepared statements are kept, least recently used out first. Safe because
 * the driver runs one query at a time on the one connection, and SQLite
 * re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, capacity = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    prepare(sqlText: string): SqliteStatement {
      const cached = prepared.get(sqlText);
      if (cached) {
        // Map keeps insertion order: re-inserting marks it the most recently used.
        prepared.delete(sqlText);
        prepared.set(sqlText, cached);
        return cached;
      }
      const statement = sqlite.prepare(sqlText);
      prepared.set(sqlText, statement);
      if (prepared.size > capacity) prepared.delete(prepared.keys().next().value as string);
      return statement;
    },
    close(): void {
      prepared.clear();
      sqlite.close();
    },
  };
}

const PG_TIMESTAMPTZ_OID = 1184;
const PG_TIMESTAMP_OID = 1114;
const PG_INT8_OID = 20;

/** PostgreSQL text timestamps (`2026-11-26 10:00:00.123+00`) → ISO-8601 UTC, as SQLite stores them. */
export function pgTimestampToIso(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(
    value,
  );
  if (!match) return new Date(value).toISOString();
  const [, date, time, hours, minutes] = match;
  return new Date(`${date}T${time}${hours}:${minutes ?? '00'}`).toISOString();
}

/** Per-pool type parsing (not pg's global registry): instants as ISO strings, int8 counts as numbers. */
function waymarkTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === PG_TIMESTAMPTZ_OID || oid === PG_TIMESTAMP_OID) return pgTimestampToIso;
  // count(*) is int8; our counts fit a double.
  if (oid === PG_INT8_OID) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

export type OpenDatabase = {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
};

export type QueryObserver = (sqlText: string, durationMs: number, failed: boolean) => void;

export type OpenOptions = {
  poolSize?: number;
  onQuery?: QueryObserver;
  /** SQLite file: checkpoint the WAL from a worker thread instead of inside commits (long-running processes). */
  backgroundCheckpoints?: boolean;
  /** Told when the checkpointing thread fails. */
  onCheckpointWarning?: (message: string) => void;
};

function logHook(onQuery: QueryObserver | undefined): KyselyConfig['log'] {
  if (!onQuery) return undefined;
  return (event) => onQuery(event.query.sql, event.queryDurationMillis, event.level === 'error');
}

export function openDatabase(url: string, options: OpenOptions = {}): OpenDatabase {
  const target = parseDatabaseUrl(url);
  const log = logHook(options.onQuery);
  if (target.dialect === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(resolve(target.path)), { recursive: true });
    const sqlite = new BetterSqlite3(target.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const checkpoints =
      options.backgroundCheckpoints && target.path !== ':memory:'
        ? startBackgroundCheckpoints(target.path, {
            ...(options.onCheckpointWarning ? { onWarning: options.onCheckpointWarning } : {}),
          })
        : null;
    if (checkpoints) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
      log,
    });
    return {
      db,
      dialect: 'sqlite',
      async close() {
        // The thread's connection goes first, so closing the last one checkpoints and removes the WAL.
        await checkpoints?.stop();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.poolSize ?? 10,
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 5_000,
    types: { getTypeParser: waymarkTypeParser },
  });
  // An idle client that loses its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  // Nor a checked-out one: the pool's listener is detached while a client is lent out, and a
  // connection reset between two queries of a transaction is then an unhandled 'error' event.
  // The query in flight (or the next one) fails on its own, and the pool discards the client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new TranslatingPostgresDialect({ pool }), log });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

export function createMigrator(db: Kysely<Database>, dialect: DialectName): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider(dialect),
    migrationTableName: 'waymark_migration',
    migrationLockTableName: 'waymark_migration_lock',
  });
}

export async function migrateToLatest(db: Kysely<Database>, dialect: DialectName): Promise<MigrationResultSet> {
  const result = await createMigrator(db, dialect).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/** Names of migrations the code knows but the database has not applied. */
export async function pendingMigrations(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  const applied = await createMigrator(db, dialect).getMigrations();
  return applied.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export function knownMigrationNames(dialect: DialectName): string[] {
  return Object.keys(listMigrations(dialect)).sort();
}
