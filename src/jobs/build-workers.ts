import type { Logger } from 'pino';

import { processInboundWebhook, type InboundProcessorRegistry } from '../app/process-inbound-webhook.js';
import { refreshShipments } from '../app/refresh-shipments.js';
import { syncStoreOrders } from '../app/sync-store-orders.js';
import { deliverNotification, type DeliveryDeps } from '../app/deliver-notification.js';
import { postPlatformWriteBack } from '../app/post-platform-write-back.js';
import { alertScanCompletion, planScheduledAlerts } from '../app/plan-scheduled-alerts.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { CarrierClientResolver } from '../core/ports/carrier-account.port.js';
import type { CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { WorkQueue } from '../core/ports/work-queue.port.js';
import type { Pacer } from './pacing.js';
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
    /** Shipment news to post back to selling platforms (stores that opted in); needs `platforms`. */
    writeBacks?: WorkQueue<StoreRow>;
    /** One row per store: the scheduled alert scan (delivery intelligence), every five minutes. */
    alertScans?: WorkQueue<StoreRow>;
  };
  platforms?: PlatformRegistry;
  /** Senders, templates and links for the outbox; without them messages stay planned in the local outbox. */
  delivery?: Omit<DeliveryDeps, 'uow' | 'clock'>;
  processors: InboundProcessorRegistry;
  carriers: CarrierRegistry;
  /** Stores' own carrier accounts before the instance-wide `carriers`; without it only `carriers` are used. */
  carrierClients?: CarrierClientResolver;
  settings: WorkerSettings;
  /** Between rows of every loop; default a turn of the event loop. `waymark start` yields to busy HTTP. */
  pacer?: Pacer;
  onOutcome?: (queue: string, outcome: 'done' | 'retry' | 'dead' | 'lost', seconds: number) => void;
};

/** The worker loops of one process: the inbox and the tracking refresh. */
export function buildWorkers(deps: WorkerDeps): Worker[] {
  const common = { clock: deps.clock, ...deps.settings, ...(deps.pacer ? { pacer: deps.pacer } : {}) };
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
        { uow: deps.uow, clock: deps.clock, carriers: deps.carriers, clients: deps.carrierClients },
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
  const writeBacksQueue = deps.queues.writeBacks;
  if (writeBacksQueue && platforms) {
    workers.push(
      new WorkerLoop<StoreRow>({
        ...common,
        queue: writeBacksQueue,
        logger: deps.logger.child({ queue: 'write_backs' }),
        // 429 and 5xx retry with backoff; a row that keeps failing is parked as failed with its last error.
        backoff: { baseMs: 30_000, maxMs: 60 * 60_000 },
        deadChanges: { state: 'failed' },
        handle: (row) => postPlatformWriteBack({ uow: deps.uow, clock: deps.clock, platforms }, row.id),
        onOutcome: (outcome, seconds) => deps.onOutcome?.('write_backs', outcome, seconds),
      }),
    );
  }
  const alertScansQueue = deps.queues.alertScans;
  if (alertScansQueue) {
    workers.push(
      new WorkerLoop<StoreRow>({
        ...common,
        batchSize: 5,
        queue: alertScansQueue,
        logger: deps.logger.child({ queue: 'alert_scans' }),
        // A failing scan must not stop a store's alerts for good: the next pass retries it.
        maxAttempts: Math.max(deps.settings.maxAttempts, 1000),
        backoff: { baseMs: 30_000, maxMs: 30 * 60_000 },
        handle: async (row) => {
          await planScheduledAlerts({ uow: deps.uow, clock: deps.clock }, row.id);
          return alertScanCompletion(deps.clock.now());
        },
        onOutcome: (outcome, seconds) => deps.onOutcome?.('alert_scans', outcome, seconds),
      }),
    );
  }
  return workers;
}
