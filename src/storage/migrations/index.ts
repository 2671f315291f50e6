import type { Migration, MigrationProvider } from 'kysely';

import type { DialectName } from './column-types.js';
import { initialMigration } from './2026_11_26_000001_initial.js';
import { shipmentTrackingNumberIndex } from './2026_11_26_000002_shipment_tracking_number_index.js';
import { storeSyncSchedule } from './2026_11_26_000003_store_sync_schedule.js';
import { rateLimitWindow } from './2026_11_26_000004_rate_limit_window.js';
import { notificationOptOut } from './2026_11_26_000005_notification_opt_out.js';

/**
 * Migrations are listed here in code rather than discovered on disk, so the
 * built package carries them and no glob depends on the working directory.
 * Names sort in application order.
 */
export function listMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '2026_11_26_000001_initial': initialMigration(dialect),
    '2026_11_26_000002_shipment_tracking_number_index': shipmentTrackingNumberIndex(),
    '2026_11_26_000003_store_sync_schedule': storeSyncSchedule(dialect),
    '2026_11_26_000004_rate_limit_window': rateLimitWindow(dialect),
    '2026_11_26_000005_notification_opt_out': notificationOptOut(dialect),
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(listMigrations(dialect)) };
}
