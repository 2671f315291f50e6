import type { Kysely, Migration } from 'kysely';

import type { DialectName } from './column-types.js';

/**
 * A store has at most one account per carrier: the refresher must never have
 * to choose between two. The plain index of the initial migration becomes a
 * unique one (nothing wrote the table before this, so no row can clash).
 * Rows without a store (`store_id` null) are not constrained: both databases
 * treat nulls as distinct in a unique index.
 *
 * On PostgreSQL the rate column becomes double precision: `real` is 4 bytes
 * there and would turn DHL's 250 a day (0.00289351851…) into a rounded value
 * that no longer reads back as what was set. SQLite's REAL is already 8 bytes.
 */
export function carrierAccountUnique(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('carrier_account_store_carrier_idx').execute();
      await db.schema
        .createIndex('carrier_account_store_carrier_key')
        .on('carrier_account')
        .columns(['store_id', 'carrier'])
        .unique()
        .execute();
      if (dialect === 'postgres') {
        await db.schema
          .alterTable('carrier_account')
          .alterColumn('rate_limit_per_second', (column) => column.setDataType('double precision'))
          .execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        await db.schema
          .alterTable('carrier_account')
          .alterColumn('rate_limit_per_second', (column) => column.setDataType('real'))
          .execute();
      }
      await db.schema.dropIndex('carrier_account_store_carrier_key').execute();
      await db.schema
        .createIndex('carrier_account_store_carrier_idx')
        .on('carrier_account')
        .columns(['store_id', 'carrier'])
        .execute();
    },
  };
}
