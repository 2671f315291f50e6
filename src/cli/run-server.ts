import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';

import type { InboundProcessorRegistry } from '../app/process-inbound-webhook.js';
import type { CarrierRegistry } from '../core/ports/carrier.port.js';
import { buildApp, type AppDeps } from '../http/build-app.js';
import { buildWorkers } from '../jobs/build-workers.js';
import { shareWhenBusy } from '../jobs/pacing.js';
import { RequestPressure } from '../http/request-pressure.js';
import type { Worker } from '../jobs/worker-loop.js';
import {
  buildCarrierClientResolver,
  buildCarrierRegistry,
  buildCarrierWebhookRegistry,
  buildInboundProcessors,
  createCarrierClientFactory,
} from './carriers.js';
import { buildDashboardDeps } from './dashboard.js';
import {
  buildDelivery,
  buildEndpointPolicy,
  buildLinks,
  buildNotificationTools,
  buildStaffMail,
  templateRenderer,
} from './notifications.js';
import { buildPlatformRegistry } from './platforms.js';
import { readVersion, type Runtime } from './runtime.js';
import { platformWebhookProcessor } from '../app/platform-webhooks.js';
import { alertScanQueue } from '../app/plan-scheduled-alerts.js';

export type ServerRoles = { http: boolean; workers: boolean; migrate: boolean };

export type RunningServer = {
  app: FastifyInstance | null;
  workers: Worker[];
  url: string | null;
  stop(): Promise<void>;
};

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
}

/**
 * The process body of `start`, `serve` and `worker`: the same wiring, with
 * HTTP and the worker loops switched on or off.
 */
export async function runServer(
  runtime: Runtime,
  roles: ServerRoles,
  overrides: {
    processors?: InboundProcessorRegistry;
    carriers?: CarrierRegistry;
    /** Sees every HTTP route as it is registered (the abuse tests' route inventory). */
    onRoute?: AppDeps['onRoute'];
  } = {},
): Promise<RunningServer> {
  const { config, logger, storage, clock, metrics } = runtime;
  const carrierWebhooks = buildCarrierWebhookRegistry(config);
  const platforms = buildPlatformRegistry(config);
  const registries = {
    carriers: overrides.carriers ?? buildCarrierRegistry(config, logger, storage.repositories.rateBudget),
    processors:
      overrides.processors ??
      new Map([
        ...buildInboundProcessors({ uow: storage, clock }, carrierWebhooks),
        ...[...platforms.keys()].map((platform) => {
          const processor = platformWebhookProcessor({ uow: storage, clock, platforms }, platform);
          return [processor.source, processor] as const;
        }),
      ]),
  };
  if (roles.migrate) {
    const applied = await storage.migrate();
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } else {
    const readiness = await storage.checkReadiness();
    if (!readiness.ok) logger.warn({ reason: readiness.reason }, 'database not ready; run `waymark migrate`');
  }

  const { signer, links } = buildLinks(config, runtime.secretKey, clock);
  const notifications = buildDelivery(config, storage, links, logger);
  const queues = {
    inbox: storage.claimer('inbound_webhook'),
    shipments: storage.claimer('shipment'),
    stores: storage.claimer('store'),
    notifications: storage.claimer('notification'),
    writeBacks: storage.claimer('platform_write_back'),
    alertScans: alertScanQueue(storage.claimer('delivery_alert_scan'), storage.repositories.deliveryIntelligence),
  };
  // One process serving and working (`waymark start`): the work steps back while requests pour in.
  const pressure = roles.http && roles.workers ? new RequestPressure() : null;
  let workers: Worker[] = [];
  if (roles.workers) {
    workers = buildWorkers({
      ...(pressure ? { pacer: shareWhenBusy(() => pressure.isBusy()) } : {}),
      uow: storage,
      clock,
      logger,
      queues,
      processors: registries.processors,
      carriers: registries.carriers,
      carrierClients: buildCarrierClientResolver(config, logger, {
        accounts: storage.repositories.carrierAccounts,
        budget: storage.repositories.rateBudget,
        instanceWide: registries.carriers,
      }),
      platforms,
      delivery: notifications.delivery,
      settings: config.worker,
      onOutcome: (queue, outcome, seconds) => {
        metrics.workItems.inc({ queue, outcome });
        metrics.workDuration.observe({ queue }, seconds);
      },
    });
    for (const worker of workers) worker.start();
  }
  // Shared rate-limit windows only matter for a few seconds (a day for DHL); old ones are dropped.
  // So are invitations a month past their expiry: the owner's list shows open ones only.
  const pruneTimer = roles.workers
    ? setInterval(() => {
        storage.repositories.rateBudget
          .prune(new Date(Date.now() - 2 * 86_400_000).toISOString())
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'could not prune rate-limit windows');
          });
        storage.repositories.invitations
          .prune(new Date(Date.now() - 30 * 86_400_000).toISOString())
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'could not prune old invitations');
          });
      }, 10 * 60_000)
    : null;
  pruneTimer?.unref();
  new Gauge({
    name: 'waymark_queue_due',
    help: 'Rows due for a worker now, by queue.',
    labelNames: ['queue'],
    registers: [metrics.registry],
    async collect() {
      const now = clock.now();
      for (const [name, queue] of Object.entries(queues)) {
        try {
          this.set({ queue: name }, await queue.countDue(now));
        } catch {
          // An unreachable database shows up in /readyz; metrics still answer.
        }
      }
    },
  });

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (roles.http) {
    app = await buildApp({
      uow: storage,
      health: storage,
      clock,
      metrics,
      logger,
      bodyLimit: config.bodyLimit,
      version: readVersion(),
      carrierWebhooks,
      platforms,
      links: signer,
      lookupAttempts: storage.repositories.rateBudget,
      ...(pressure ? { pressure } : {}),
      ...(overrides.onRoute ? { onRoute: overrides.onRoute } : {}),
      ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
      webhookEndpoints: { store: storage.repositories.webhookEndpoints, policy: buildEndpointPolicy(config) },
      notificationTools: buildNotificationTools(storage, notifications.delivery),
      dashboard: buildDashboardDeps(storage, clock, {
        staffMail: buildStaffMail(config),
        // Settings → Carriers "Test": no shared rate budget, so a click never waits for the next window.
        carrierClients: createCarrierClientFactory(config, logger),
        connection: {
          stores: storage.repositories.stores,
          platforms,
          publicUrl: config.publicUrl,
          localUrl: `http://localhost:${config.port}`,
        },
        webhookEndpoints: { store: storage.repositories.webhookEndpoints, policy: buildEndpointPolicy(config) },
        webhookDeliveries: {
          log: storage.repositories.webhookDeliveries,
          sender: notifications.delivery.senders.webhook,
          secrets: storage.repositories.webhookEndpoints,
        },
        templates: {
          store: storage.repositories.notificationTemplates,
          renderer: templateRenderer,
          links: notifications.delivery.links,
          senders: notifications.delivery.senders,
          emailFrom: notifications.delivery.emailFrom,
          testLog: storage.repositories.notifications,
        },
      }),
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = config.publicUrl ?? `http://${displayHost(config.host)}:${port}`;
  }

  let stopping: Promise<void> | null = null;
  return {
    app,
    workers,
    url,
    stop() {
      // Stop accepting and finish in-flight requests, let each worker finish its row and hand back the rest, then close the pool.
      stopping ??= (async () => {
        if (pruneTimer) clearInterval(pruneTimer);
        notifications.close();
        await Promise.all([app?.close(), ...workers.map((w) => w.stop())]);
        await runtime.close();
      })();
      return stopping;
    },
  };
}

/** SIGTERM / SIGINT stop gracefully; a second signal exits at once. */
export function stopOnSignals(server: RunningServer, runtime: Runtime): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      process.exit(1);
    }
    received = true;
    runtime.logger.info({ signal }, 'shutting down: finishing in-flight work');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
