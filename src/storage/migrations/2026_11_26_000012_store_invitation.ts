import type { Kysely, Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/**
 * Invitations to a store's dashboard. Only the SHA-256 of the link's token is
 * kept, like sessions and API keys. An invitation is open until it is accepted
 * or it expires; revoking one deletes it.
 */
export function storeInvitation(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('store_invitation')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('store_id', t.id, (c) => c.notNull().references('store.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .addColumn('accepted_at', t.instant)
        .execute();
      await db.schema.createIndex('store_invitation_store_idx').on('store_invitation').column('store_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('store_invitation').execute();
    },
  };
}
