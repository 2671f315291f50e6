import { describe, expect, it } from 'vitest';

import { DomainError, ErrorCode } from '../core/errors.js';
import { translateDatabaseError } from './database-errors.js';

function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('translateDatabaseError', () => {
  it.each([
    ['SQLite write lock held elsewhere', driverError('database is locked', 'SQLITE_BUSY'), ErrorCode.DatabaseBusy],
    ['SQLite stale WAL snapshot', driverError('database is locked', 'SQLITE_BUSY_SNAPSHOT'), ErrorCode.DatabaseBusy],
    ['SQLite shared-cache lock', driverError('database table is locked', 'SQLITE_LOCKED'), ErrorCode.DatabaseBusy],
    ['SQLite disk or size limit', driverError('database or disk is full', 'SQLITE_FULL'), ErrorCode.StorageFull],
    ['PostgreSQL disk_full', driverError('could not extend file', '53100'), ErrorCode.StorageFull],
    [
      'PostgreSQL NUL in text',
      driverError('invalid byte sequence for encoding "UTF8": 0x00', '22021'),
      ErrorCode.InvalidInput,
    ],
    [
      'PostgreSQL \\u0000 in jsonb',
      driverError('unsupported Unicode escape sequence', '22P05'),
      ErrorCode.InvalidInput,
    ],
    [
      'PostgreSQL restarting',
      driverError('terminating connection due to administrator command', '57P01'),
      ErrorCode.NotReady,
    ],
    ['PostgreSQL starting up', driverError('the database system is starting up', '57P03'), ErrorCode.NotReady],
    ['PostgreSQL connection_failure', driverError('connection failure', '08006'), ErrorCode.NotReady],
    ['PostgreSQL too_many_connections', driverError('sorry, too many clients already', '53300'), ErrorCode.NotReady],
    ['server down', driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), ErrorCode.NotReady],
    ['connection reset', driverError('read ECONNRESET', 'ECONNRESET'), ErrorCode.NotReady],
    ['pg: connection lost mid-query', driverError('Connection terminated unexpectedly'), ErrorCode.NotReady],
    ['pg: pool timeout', driverError('timeout exceeded when trying to connect'), ErrorCode.NotReady],
    [
      'pg: client broken by an earlier error',
      driverError('Client has encountered a connection error and is not queryable'),
      ErrorCode.NotReady,
    ],
  ])('%s → %s', (_case, error, code) => {
    const translated = translateDatabaseError(error);
    expect(translated).toBeInstanceOf(DomainError);
    expect(translated?.code).toBe(code);
    expect(translated?.cause).toBe(error);
    // The client-facing message never carries the driver's details (addresses, codes); the cause keeps them for the log.
    expect(translated?.message).not.toMatch(/\d+\.\d+\.\d+\.\d+|ECONN|SQLITE_|\b[0-9]{2}[0-9A-Z]{3}\b/);
  });

  it.each([
    ['a unique violation (SQLite)', driverError('UNIQUE constraint failed: store.slug', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a unique violation (PostgreSQL)', driverError('duplicate key value violates unique constraint', '23505')],
    ['an SQL mistake', driverError('syntax error at or near "selec"', '42601')],
    ['a plain error', new Error('something else')],
    ['an error that is already a DomainError', new DomainError(ErrorCode.Conflict, 'taken')],
    ['not an error at all', 'SQLITE_BUSY'],
  ])('leaves %s alone', (_case, error) => {
    expect(translateDatabaseError(error)).toBeUndefined();
  });
});
