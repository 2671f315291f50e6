import type { Logger } from 'pino';

import { processInboundWebhook, type InboundProcessorRegistry } from '../app/process-inbound-webhook.js';
import { refreshShipments } from '../app/refresh-shipments.js';
import { syncStoreOrders } from '../app/sync-store-orders.js';
import { deliverNotification, type DeliveryDeps } from '../app/deliver-notification.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { WorkQueue } from '../core/ports/work-queue.port.js';
import { WorkerLoop, type Worker } from './worker-loop.js';

type InboxRow = {
  id: string;
  attempts: number;
  store_id: string | null;
  source: string;
  topic: string | null;
  headers: string;
  raw_body: string;
};
type StoreRow = { id: string; attempts: number };
type ShipmentRow = { id: string; attempts: number; store_id: string; carrier: string | null; tracking_number: string };

export type WorkerSettings = { batchSize: number; leaseMs: number; pollIntervalMs: number; maxAttempts: number };

export type WorkerDeps = {
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  queues: {
    inbox: WorkQueue<InboxRow>;
    shipments: WorkQueue<ShipmentRow>;
    stores?: WorkQueue<StoreRow>;
    notifications?: WorkQueue<StoreRow>;
  };
  platforms?: PlatformRegistry;
  /** Senders, templates and links for the outbox; without them messages stay planned in the local outbox. */
  delivery?: Omit<DeliveryDeps, 'uow' | 'clock'>;
  processors: InboundProcessorRegistry;
  carriers: CarrierRegistry;
  settings: WorkerSettings;
  onOutcome?: (queue: string, outcome: 'done' | 'retry' | 'dead' | 'lost', seconds: number) => void;
};

/** The worker loops of one process: the inbox and the tracking refresh. */
export function buildWorkers(deps: WorkerDeps): Worker[] {
  const common = { clock: deps.clock, ...deps.settings };
  const inbox = new WorkerLoop<InboxRow>({
    ...common,
    queue: deps.queues.inbox,
    logger: deps.logger.child({ queue: 'inbox' }),
    deadChanges: { state: 'dead' },
    handle: (row) =>
      processInboundWebhook(
        { processors: deps.processors, now: () => deps.clock.now() },
        {
          id: row.id,
          storeId: row.store_id,
          source: row.source,
          topic: row.topic,
          headers: JSON.parse(row.headers) as Record<string, string>,
          rawBody: row.raw_body,
        },
      ),
    onOutcome: (outcome, seconds) => deps.onOutcome?.('inbox', outcome, seconds),
  });
  const shipments = new WorkerLoop<ShipmentRow>({
    ...common,
    queue: deps.queues.shipments,
    logger: deps.logger.child({ queue: 'shipments' }),
    // Carrier outages must not kill trackers: keep retrying (backoff capped at an hour) rather than parking.
    maxAttempts: Math.max(deps.settings.maxAttempts, 1000),
    backoff: { baseMs: 30_000, maxMs: 60 * 60_000 },
    handleBatch: async (rows) => {
      const results = await refreshShipments(
        { uow: deps.uow, clock: deps.clock, carriers: deps.carriers },
        rows.map((row) => ({ id: row.id, storeId: row.store_id })),
      );
      return new Map(
        [...results].map(([id, result]) => [
          id,
          result.ok ? { ok: true as const, changes: result.completion } : { ok: false as const, error: result.error },
        ]),
      );
    },
    onOutcome: (outcome, seconds) => deps.onOutcome?.('shipments', outcome, seconds),
  });
  const workers: Worker[] = [inbox, shipments];
  const storesQueue = deps.queues.stores;
  const platforms = deps.platforms;
  if (storesQueue && platforms) {
    workers.push(
      new WorkerLoop<StoreRow>({
        ...common,
        batchSize: 5,
        queue: storesQueue,
        logger: deps.logger.child({ queue: 'stores' }),
        // A platform outage must not stop a store's sync for good.
        maxAttempts: Math.max(deps.settings.maxAttempts, 1000),
        backoff: { baseMs: 30_000, maxMs: 30 * 60_000 },
        handle: (row) => syncStoreOrders({ uow: deps.uow, clock: deps.clock, platforms }, row.id),
        onOutcome: (outcome, seconds) => deps.onOutcome?.('stores', outcome, seconds),
      }),
    );
  }
  const notificationsQueue = deps.queues.notifications;
  const delivery = deps.delivery;
  if (notificationsQueue && delivery) {
    let loop: WorkerLoop<StoreRow> | null = null;
    loop = new WorkerLoop<StoreRow>({
      ...common,
      queue: notificationsQueue,
      logger: deps.logger.child({ queue: 'notifications' }),
      backoff: { baseMs: 30_000, maxMs: 60 * 60_000 },
      deadChanges: { state: 'failed' },
      handle: (row) =>
        deliverNotification({ ...delivery, uow: deps.uow, clock: deps.clock }, { id: row.id, owner: loop!.owner }),
      onOutcome: (outcome, seconds) => deps.onOutcome?.('notifications', outcome, seconds),
    });
    workers.push(loop);
  }
  return workers;
}
