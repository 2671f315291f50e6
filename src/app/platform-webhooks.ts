import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformOrder, PlatformRegistry, WebhookHeaders } from '../core/ports/platform.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { isPlatform } from '../core/store/store.js';
import { headersToKeep } from './ingest-carrier-webhook.js';
import { DELETED_ON_PLATFORM, ingestPlatformOrder } from './ingest-platform-order.js';
import type { InboundDelivery, InboundProcessor } from './process-inbound-webhook.js';
import type { WebhookIntake } from './webhook-intake.js';

export const PLATFORM_WEBHOOK_PREFIX = 'platform:';

const STORE_ID = /^[0-9a-f-]{36}$/i;

/** Built only when thrown: an error's stack trace costs more than the rest of a rejected request. */
function storeNotFound(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'no such store for this platform');
}

export type PlatformWebhookReceipt = { kind: 'ping' } | { kind: 'accepted'; id: string; duplicate: boolean };

/**
 * The synchronous half of a platform webhook, before the 2xx: the store must
 * exist and be of that platform (else 404, revealing nothing), the signature
 * must verify on the raw bytes with the store's secret (else 401, nothing
 * stored), the body must be JSON (else 400); then it is committed to the inbox.
 */
export async function acceptPlatformWebhook(
  deps: { intake: WebhookIntake; clock: Clock; platforms: PlatformRegistry },
  input: { platform: string; storeId: string; rawBody: Buffer; headers: WebhookHeaders },
): Promise<PlatformWebhookReceipt> {
  if (!isPlatform(input.platform) || !STORE_ID.test(input.storeId)) throw storeNotFound();
  const handler = deps.platforms.get(input.platform)?.webhooks;
  const found = await deps.intake.findStore(input.storeId);
  if (!handler || !found || found.store.platform !== input.platform || !found.store.isEnabled) throw storeNotFound();
  const { store, secrets } = found;

  const now = deps.clock.now();
  const verification = handler.verify({ rawBody: input.rawBody, headers: input.headers, secrets, now });
  if (!verification.ok)
    throw new DomainError(ErrorCode.SignatureInvalid, `${input.platform} webhook rejected: ${verification.reason}`);
  if ('ping' in verification) return { kind: 'ping' };

  const rawBody = input.rawBody.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new DomainError(ErrorCode.MalformedJson, 'webhook body is not valid JSON');
  }
  const accepted = await deps.intake.accept(
    {
      storeId: store.id,
      source: `${PLATFORM_WEBHOOK_PREFIX}${input.platform}`,
      topic: handler.topic(input.headers, body),
      providerEventId: handler.deliveryId(input.headers, body),
      headers: headersToKeep(input.headers),
      rawBody,
    },
    now,
  );
  return { kind: 'accepted', ...accepted };
}

/**
 * Applies a stored platform webhook after the 2xx. Thin deliveries
 * (BigCommerce) are completed by fetching the order from the platform.
 */
export function platformWebhookProcessor(
  deps: { uow: UnitOfWork; clock: Clock; platforms: PlatformRegistry },
  platform: string,
): InboundProcessor {
  return {
    source: `${PLATFORM_WEBHOOK_PREFIX}${platform}`,
    async process(delivery: InboundDelivery) {
      if (!delivery.storeId || !isPlatform(platform))
        throw new DomainError(ErrorCode.InvalidInput, 'platform delivery without a store');
      const connector = deps.platforms.get(platform);
      if (!connector?.webhooks) throw new DomainError(ErrorCode.InvalidInput, `no webhook handler for ${platform}`);
      const store = await deps.uow.repositories.stores.findStoreById(delivery.storeId);
      if (!store) return;
      let body: unknown;
      try {
        body = JSON.parse(delivery.rawBody);
      } catch (error) {
        throw new DomainError(ErrorCode.MalformedJson, 'stored webhook body is not JSON', { cause: error });
      }
      const content = connector.webhooks.parse(delivery.topic, body);
      const origin = { cause: 'webhook' as const, causeRef: delivery.id };
      if (content.kind === 'ignored') return;

      if (content.kind === 'order_deleted') {
        await markDeleted(deps, store.id, content.externalId);
        return;
      }
      let order: PlatformOrder;
      if (content.kind === 'order') order = content.order;
      else {
        const client = connector.createClient(store, await deps.uow.repositories.stores.getStoreSecrets(store.id));
        if (!client) {
          throw new DomainError(
            ErrorCode.UpstreamAuthFailed,
            `store ${store.slug} has no ${platform} credentials to fetch order ${content.externalId}`,
          );
        }
        const fetched = await client.fetchOrder(content.externalId);
        if (!fetched) {
          await markDeleted(deps, store.id, content.externalId);
          return;
        }
        order = fetched;
      }
      const ready = order;
      await deps.uow.transaction((stores) => ingestPlatformOrder(stores, deps, store.id, ready, origin, { store }));
    },
  };
}

/** A deletion keeps the order (its history matters) but flags it and stops tracking its parcels. */
async function markDeleted(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
  externalId: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.uow.transaction(async (stores) => {
    const order = await stores.orders.findOrderByExternalId(storeId, externalId);
    if (!order) return;
    const { id: _id, storeId: _storeId, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = order;
    await stores.orders.updateOrder(
      storeId,
      order.id,
      { ...fields, platformStatus: { ...order.platformStatus, [DELETED_ON_PLATFORM]: true } },
      now,
    );
    for (const shipment of await stores.shipments.listShipmentsForOrders([order.id])) {
      await stores.shipments.setCarrierDetails(storeId, shipment.id, { nextCheckAt: null }, now);
    }
  });
}
