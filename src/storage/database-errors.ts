import type {
  DatabaseConnection,
  Driver,
  QueryCompiler,
  QueryResult,
  CompiledQuery,
  TransactionSettings,
} from 'kysely';

import { DomainError, ErrorCode } from '../core/errors.js';

/**
 * The database failures that say "not now" rather than "this request is
 * wrong", as the rest of Waymark sees them: a DomainError whose code the HTTP
 * layer maps to 503/507 and workers retry. Everything else (constraint
 * violations, SQL mistakes) passes through untouched. Only this file knows
 * the drivers' error shapes.
 */

/** SQLSTATE classes and codes of PostgreSQL meaning the server is away or refusing connections. */
const PG_UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);
const PG_FULL_CODES: ReadonlySet<string> = new Set(['53100']); // disk_full
/** PostgreSQL cannot hold a NUL character in text (22021) nor `\u0000` in jsonb (22P05); SQLite can. */
const PG_NUL_CODES: ReadonlySet<string> = new Set(['22021', '22P05']);
/** Socket errors of a lost or refused connection. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres reports a lost connection or a pool timeout with a plain Error and no code. */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function translateDatabaseError(error: unknown): DomainError | undefined {
  if (!(error instanceof Error) || error instanceof DomainError) return undefined;
  const code = codeOf(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DomainError(
      ErrorCode.DatabaseBusy,
      'the database is locked by another process for longer than Waymark waits; retry shortly',
      { cause: error },
    );
  }
  if (code === 'SQLITE_FULL' || PG_FULL_CODES.has(code)) {
    return new DomainError(
      ErrorCode.StorageFull,
      "the database's storage is full: nothing can be written until space is freed; reads still work",
      { cause: error },
    );
  }
  if (PG_NUL_CODES.has(code)) {
    // Client text (a form, a webhook id) reaches queries as parameters: refusing it is a 400, not a crash.
    return new DomainError(ErrorCode.InvalidInput, 'text must not contain the NUL character (\\u0000)', {
      cause: error,
    });
  }
  if (
    PG_UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    NETWORK_CODES.has(code) ||
    PG_CONNECTION_MESSAGES.test(error.message)
  ) {
    return new DomainError(ErrorCode.NotReady, 'the database is unreachable; retry shortly', { cause: error });
  }
  return undefined;
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error) ?? error;
  }
}

class TranslatingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return translated(() => this.inner.executeQuery<R>(compiledQuery));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (error) {
      throw translateDatabaseError(error) ?? error;
    }
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TranslatingConnection ? connection.inner : connection;
}

/**
 * Wraps a dialect's driver so every failure on the way (connecting, begin,
 * each statement, commit, rollback) goes through `translateDatabaseError`:
 * one choke point, whatever repository or worker ran the query.
 */
export class TranslatingDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return translated(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TranslatingConnection(await translated(() => this.inner.acquireConnection()));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // Inner drivers reach into their own connection objects (pg: private discard and release
    // methods), so they get the unwrapped one; the statements they send are translated here.
    return translated(() => this.inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.rollbackTransaction(innerOf(connection)));
  }

  savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return translated(() => this.#savepoints().savepoint(innerOf(connection), savepointName, compileQuery));
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return translated(() => this.#savepoints().rollbackToSavepoint(innerOf(connection), savepointName, compileQuery));
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return translated(() => this.#savepoints().releaseSavepoint(innerOf(connection), savepointName, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  #savepoints(): Required<Pick<Driver, 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'>> {
    const inner = this.inner;
    if (!inner.savepoint || !inner.rollbackToSavepoint || !inner.releaseSavepoint) {
      throw new Error('this driver has no savepoints');
    }
    return inner as Required<Driver>;
  }
}
