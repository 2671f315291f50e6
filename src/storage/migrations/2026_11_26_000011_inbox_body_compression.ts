import { sql, type Kysely, type Migration } from 'kysely';

import type { DialectName } from './column-types.js';

/**
 * PostgreSQL compresses a webhook body of a few KB with pglz on insert, about a
 * third of the server's work for each stored delivery. lz4 (PostgreSQL 14+)
 * compresses about as well for JSON at a fraction of the cost, both ways. Only
 * metadata changes (stored rows keep their compression), so it takes a moment's
 * lock. A server built without lz4 keeps pglz. SQLite does not compress.
 */
export function inboxBodyCompression(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`
        do $$
        begin
          alter table inbound_webhook alter column raw_body set compression lz4;
        exception when others then
          raise notice 'lz4 compression is not available; webhook bodies stay compressed with pglz';
        end
        $$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`alter table inbound_webhook alter column raw_body set compression default`.execute(db);
    },
  };
}
