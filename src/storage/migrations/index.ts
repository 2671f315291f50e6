import type { Migration, MigrationProvider } from 'kysely';

import type { DialectName } from './column-types.js';
import { initialMigration } from './2026_11_26_000001_initial.js';
import { shipmentTrackingNumberIndex } from './2026_11_26_000002_shipment_tracking_number_index.js';
import { storeSyncSchedule } from './2026_11_26_000003_store_sync_schedule.js';
import { rateLimitWindow } from './2026_11_26_000004_rate_limit_window.js';
import { notificationOptOut } from './2026_11_26_000005_notification_opt_out.js';
import { dashboardSession } from './2026_11_26_000006_dashboard_session.js';
import { deliveryIntelligence } from './2026_11_26_000007_delivery_intelligence.js';
import { carrierAccountUnique } from './2026_11_26_000008_carrier_account_unique.js';
import { notificationTemplate } from './2026_11_26_000009_notification_template.js';
import { platformWriteBack } from './2026_11_26_000010_platform_write_back.js';
import { inboxBodyCompression } from './2026_11_26_000011_inbox_body_compression.js';
import { storeInvitation } from './2026_11_26_000012_store_invitation.js';

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
    '2026_11_26_000006_dashboard_session': dashboardSession(dialect),
    '2026_11_26_000007_delivery_intelligence': deliveryIntelligence(dialect),
    '2026_11_26_000008_carrier_account_unique': carrierAccountUnique(dialect),
    '2026_11_26_000009_notification_template': notificationTemplate(dialect),
    '2026_11_26_000010_platform_write_back': platformWriteBack(dialect),
    '2026_11_26_000011_inbox_body_compression': inboxBodyCompression(dialect),
    '2026_11_26_000012_store_invitation': storeInvitation(dialect),
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(listMigrations(dialect)) };
}
