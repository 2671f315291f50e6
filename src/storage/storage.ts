import { sql, type Kysely, type Transaction } from 'kysely';

import type { Sealer } from '../core/ports/sealer.port.js';
import type { HealthCheck, Readiness, UnitOfWork } from '../core/ports/storage.port.js';
import type { Database } from './database.js';
import type { DialectName } from './migrations/column-types.js';
import {
  knownMigrationNames,
  migrateToLatest,
  openDatabase,
  pendingMigrations,
  type OpenOptions,
} from './create-database.js';
import { WorkClaimer, type ClaimableTable } from './claim.js';
import { ApiKeyRepository } from './repositories/api-key.repository.js';
import { CarrierAccountRepository } from './repositories/carrier-account.repository.js';
import { DeliveryIntelligenceRepository } from './repositories/delivery-intelligence.repository.js';
import { InboundWebhookRepository } from './repositories/inbound-webhook.repository.js';
import { InvitationRepository } from './repositories/invitation.repository.js';
import { NotificationRepository } from './repositories/notification.repository.js';
import { PlatformWriteBackRepository } from './repositories/platform-write-back.repository.js';
import { NotificationTemplateRepository } from './repositories/notification-template.repository.js';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository.js';
import { RateBudgetRepository } from './repositories/rate-budget.repository.js';
import { SessionRepository } from './repositories/session.repository.js';
import { AnalyticsRepository } from './repositories/analytics.repository.js';
import { AttentionRepository } from './repositories/attention.repository.js';
import { WebhookEndpointRepository } from './repositories/webhook-endpoint.repository.js';
import { OrderRepository } from './repositories/order.repository.js';
import { ShipmentRepository } from './repositories/shipment.repository.js';
import { StatusChangeRepository } from './repositories/status-change.repository.js';
import { StoreRepository } from './repositories/store.repository.js';
import { SyncCursorRepository } from './repositories/sync-cursor.repository.js';
import { TrackingEventRepository } from './repositories/tracking-event.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import type { SecretBox } from './secret-box.js';

/** Every repository, over one connection or one transaction. */
export type Repositories = {
  stores: StoreRepository;
  orders: OrderRepository;
  shipments: ShipmentRepository;
  events: TrackingEventRepository;
  journal: StatusChangeRepository;
  inbox: InboundWebhookRepository;
  apiKeys: ApiKeyRepository;
  users: UserRepository;
  invitations: InvitationRepository;
  cursors: SyncCursorRepository;
  notifications: NotificationRepository;
  writeBacks: PlatformWriteBackRepository;
  rateBudget: RateBudgetRepository;
  webhookEndpoints: WebhookEndpointRepository;
  notificationTemplates: NotificationTemplateRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  sessions: SessionRepository;
  analytics: AnalyticsRepository;
  attention: AttentionRepository;
  carrierAccounts: CarrierAccountRepository;
  deliveryIntelligence: DeliveryIntelligenceRepository;
};

function buildRepositories(db: Kysely<Database> | Transaction<Database>, secretBox: SecretBox): Repositories {
  return {
    stores: new StoreRepository(db, secretBox),
    orders: new OrderRepository(db),
    shipments: new ShipmentRepository(db),
    events: new TrackingEventRepository(db),
    journal: new StatusChangeRepository(db),
    inbox: new InboundWebhookRepository(db),
    apiKeys: new ApiKeyRepository(db),
    users: new UserRepository(db),
    invitations: new InvitationRepository(db),
    cursors: new SyncCursorRepository(db),
    notifications: new NotificationRepository(db),
    writeBacks: new PlatformWriteBackRepository(db),
    rateBudget: new RateBudgetRepository(db),
    webhookEndpoints: new WebhookEndpointRepository(db, secretBox),
    notificationTemplates: new NotificationTemplateRepository(db),
    webhookDeliveries: new WebhookDeliveryRepository(db),
    sessions: new SessionRepository(db),
    analytics: new AnalyticsRepository(db),
    attention: new AttentionRepository(db),
    carrierAccounts: new CarrierAccountRepository(db, secretBox),
    deliveryIntelligence: new DeliveryIntelligenceRepository(db),
  };
}

/**
 * The storage layer as the rest of Waymark sees it. The use case decides
 * where a transaction begins (`transaction`); repositories never do.
 */
export class Storage implements UnitOfWork, HealthCheck {
  readonly repositories: Repositories;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly secretBox: SecretBox,
    private readonly closeDatabase: () => Promise<void>,
  ) {
    this.repositories = buildRepositories(db, secretBox);
  }

  /** Seals short-lived secrets outside the database (the dashboard's one-time reveals) with the same key. */
  get sealer(): Sealer {
    return this.secretBox;
  }

  static open(url: string, secretBox: SecretBox, options: OpenOptions = {}): Storage {
    const opened = openDatabase(url, options);
    return new Storage(opened.db, opened.dialect, secretBox, () => opened.close());
  }

  static fromDatabase(db: Kysely<Database>, dialect: DialectName, secretBox: SecretBox): Storage {
    return new Storage(db, dialect, secretBox, () => db.destroy());
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(buildRepositories(trx, this.secretBox)));
  }

  claimer<T extends ClaimableTable>(table: T): WorkClaimer<T> {
    return new WorkClaimer(this.db, this.dialect, table);
  }

  async migrate(): Promise<string[]> {
    const result = await migrateToLatest(this.db, this.dialect);
    return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** Database reachable and every known migration applied. */
  async checkReadiness(): Promise<Readiness> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      // The operator wants the driver's own words here (refused, timed out, auth failed), not the translated ones.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : (error as Error);
      return { ok: false, reason: `database unreachable: ${cause.message}` };
    }
    try {
      const pending = await pendingMigrations(this.db, this.dialect);
      if (pending.length > 0) return { ok: false, reason: `migrations pending: ${pending.join(', ')}` };
    } catch (error) {
      return { ok: false, reason: `cannot read migrations: ${(error as Error).message}` };
    }
    return { ok: true };
  }

  knownMigrations(): string[] {
    return knownMigrationNames(this.dialect);
  }

  close(): Promise<void> {
    return this.closeDatabase();
  }
}
