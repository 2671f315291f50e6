import type { Kysely, Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/** Per-credential call counts per time window, shared by all workers. */
export function rateLimitWindow(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rate_limit_window')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', t.instant, (c) => c.notNull())
        .addColumn('calls', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limit_window_pk', ['key', 'window_start'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('rate_limit_window').execute();
    },
  };
}
