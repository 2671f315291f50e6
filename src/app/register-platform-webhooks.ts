import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';
import type { PlatformRegistry } from '../core/ports/platform.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';

/** What registering a store's webhooks on its platform came to. */
export type WebhookRegistration =
  /** Every topic is subscribed (newly, or it already was). */
  | { status: 'registered'; callbackUrl: string; topics: { topic: string; registered: true }[] }
  /** Nothing was asked of the platform; `reason` says why and what to do. */
  | { status: 'skipped'; callbackUrl: string | null; reason: string }
  /**
   * The platform refused or could not be reached. Topics registered before
   * the failure stay registered; registering again is harmless.
   */
  | {
      status: 'failed';
      callbackUrl: string;
      /** The topic the platform refused, when it said which. */
      topic: string | null;
      error: { code: string; message: string };
    };

/** Where a store's platform webhooks are delivered: `POST {publicUrl}/webhooks/{platform}/{storeId}`. */
export function platformWebhookUrl(publicUrl: string, platform: string, storeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/${platform}/${storeId}`;
}

/**
 * Subscribes Waymark to a store's order and fulfilment webhooks, where the
 * platform's API allows it (Shopify, BigCommerce, WooCommerce; not Magento,
 * whose webhooks are configured in its admin). Safe to run again: topics
 * already subscribed count as registered.
 *
 * Never throws for the platform's sake — a refusal, an outage or missing
 * settings come back as a `failed` or `skipped` report, so connecting a store
 * never fails because of it. Throws `not_found` for an unknown store.
 */
export async function registerPlatformWebhooks(
  deps: { uow: UnitOfWork; platforms: PlatformRegistry; publicUrl: string | undefined },
  storeId: string,
): Promise<WebhookRegistration> {
  const found = await deps.uow.repositories.stores.findStoreWithSecrets(storeId);
  if (!found) throw new DomainError(ErrorCode.NotFound, 'store not found');
  const { store, secrets } = found;
  const connector = deps.platforms.get(store.platform);
  if (!connector?.webhooks) {
    return { status: 'skipped', callbackUrl: null, reason: `${store.platform} stores receive no platform webhooks` };
  }
  if (!deps.publicUrl) {
    return {
      status: 'skipped',
      callbackUrl: null,
      reason:
        'WAYMARK_PUBLIC_URL is not set, so the platform could not reach Waymark; set it and run `waymark store webhooks`',
    };
  }
  const callbackUrl = platformWebhookUrl(deps.publicUrl, store.platform, store.id);
  if (!secrets.webhookSecret) {
    return {
      status: 'skipped',
      callbackUrl,
      reason: 'the store has no webhook secret, so deliveries could not be verified; add one and register again',
    };
  }
  const client = connector.createClient(store, secrets);
  if (!client) {
    return {
      status: 'skipped',
      callbackUrl,
      reason: `the store has no ${store.platform} API credentials; register ${callbackUrl} in the platform's admin`,
    };
  }
  if (!client.registerWebhooks) {
    return {
      status: 'skipped',
      callbackUrl,
      reason: `${store.platform}'s API does not let Waymark subscribe; register ${callbackUrl} in the platform's admin`,
    };
  }
  try {
    const topics = await client.registerWebhooks(callbackUrl);
    return { status: 'registered', callbackUrl, topics: topics.map((topic) => ({ topic, registered: true })) };
  } catch (error) {
    const topic = isDomainError(error) && typeof error.details?.topic === 'string' ? error.details.topic : null;
    return {
      status: 'failed',
      callbackUrl,
      topic,
      error: isDomainError(error)
        ? { code: error.code, message: error.message }
        : { code: 'unexpected', message: error instanceof Error ? error.message : String(error) },
    };
  }
}
