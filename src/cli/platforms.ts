import { createBigCommerceClient } from '../adapters/platforms/bigcommerce/bigcommerce.client.js';
import { createBigCommerceWebhookHandler } from '../adapters/platforms/bigcommerce/bigcommerce.webhook.js';
import { createMagentoClient } from '../adapters/platforms/magento/magento.client.js';
import { createMagentoWebhookHandler } from '../adapters/platforms/magento/magento.webhook.js';
import { createSandboxPlatformClient } from '../adapters/platforms/sandbox/sandbox.client.js';
import { createWooCommerceClient } from '../adapters/platforms/woocommerce/woocommerce.client.js';
import { createWooCommerceWebhookHandler } from '../adapters/platforms/woocommerce/woocommerce.webhook.js';
import { createShopifyClient } from '../adapters/platforms/shopify/shopify.client.js';
import { createShopifyWebhookHandler } from '../adapters/platforms/shopify/shopify.webhook.js';
import { createShopifyPlatformWriteBack } from '../adapters/platforms/shopify/shopify.write-back.js';
import { isDomainError } from '../core/errors.js';
import type { PlatformConnector, PlatformRegistry } from '../core/ports/platform.port.js';
import type { Config } from '../config/config.js';

/** Real platforms are pulled every five minutes; webhooks carry the urgent news in between. */
const PULL_INTERVAL_MS = 5 * 60_000;

/** A store without complete credentials cannot be pulled (or written back to): no client rather than a failing one. */
function clientOrNull<T>(build: () => T): T | null {
  try {
    return build();
  } catch (error) {
    if (isDomainError(error) && error.code === 'config_invalid') return null;
    throw error;
  }
}

/**
 * The platforms this build can connect, keyed by platform: webhooks where the
 * platform has them, and a pull client for every store with credentials.
 */
export function buildPlatformRegistry(config: Config, extra: PlatformConnector[] = []): PlatformRegistry {
  const sandbox: PlatformConnector = {
    platform: 'sandbox',
    webhooks: null,
    pullIntervalMs: Math.min(10_000, config.sandbox.orderEverySeconds * 1000),
    createClient: (store) =>
      createSandboxPlatformClient({
        epoch: store.createdAt,
        seed: store.id,
        orderEverySeconds: config.sandbox.orderEverySeconds,
        fulfilAfterSeconds: config.sandbox.fulfilAfterSeconds,
        backlog: 8,
      }),
  };
  const bigcommerce: PlatformConnector = {
    platform: 'bigcommerce',
    webhooks: createBigCommerceWebhookHandler(),
    pullIntervalMs: PULL_INTERVAL_MS,
    createClient: (_store, secrets) =>
      clientOrNull(() =>
        createBigCommerceClient({ credentials: secrets.credentials, webhookSecret: secrets.webhookSecret }),
      ),
  };
  const shopify: PlatformConnector = {
    platform: 'shopify',
    webhooks: createShopifyWebhookHandler(),
    pullIntervalMs: PULL_INTERVAL_MS,
    // The API needs the *.myshopify.com domain; a store known by its custom domain gives it as `shopDomain`.
    createClient: (store, secrets) => {
      const domain = secrets.credentials.shopDomain ?? store.domain;
      const baseUrl = config.platforms.shopify.baseUrl;
      return domain || baseUrl
        ? clientOrNull(() =>
            createShopifyClient({ credentials: secrets.credentials, domain: domain ?? undefined, baseUrl }),
          )
        : null;
    },
    createWriteBack: (store, secrets) => {
      const domain = secrets.credentials.shopDomain ?? store.domain;
      const baseUrl = config.platforms.shopify.baseUrl;
      return domain || baseUrl
        ? clientOrNull(() =>
            createShopifyPlatformWriteBack({ credentials: secrets.credentials, domain: domain ?? undefined, baseUrl }),
          )
        : null;
    },
  };
  const magento: PlatformConnector = {
    platform: 'magento',
    webhooks: createMagentoWebhookHandler(),
    pullIntervalMs: PULL_INTERVAL_MS,
    createClient: (store, secrets) =>
      store.domain
        ? clientOrNull(() =>
            createMagentoClient({ credentials: secrets.credentials, domain: store.domain ?? undefined }),
          )
        : null,
  };
  const woocommerce: PlatformConnector = {
    platform: 'woocommerce',
    webhooks: createWooCommerceWebhookHandler(),
    pullIntervalMs: PULL_INTERVAL_MS,
    createClient: (store, secrets) =>
      store.domain
        ? clientOrNull(() =>
            createWooCommerceClient({
              credentials: secrets.credentials,
              domain: store.domain ?? undefined,
              webhookSecret: secrets.webhookSecret,
            }),
          )
        : null,
  };
  return new Map(
    [sandbox, shopify, bigcommerce, magento, woocommerce, ...extra].map((connector) => [connector.platform, connector]),
  );
}
