import { createSandboxPlatformClient } from '../adapters/platforms/sandbox/sandbox.client.js';
import type { PlatformConnector, PlatformRegistry } from '../core/ports/platform.port.js';
import type { Config } from '../config/config.js';

/**
 * The platforms this build can connect, keyed by platform. Connectors for
 * Shopify, BigCommerce, Magento and WooCommerce register here next to the
 * sandbox as their adapters land.
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
  return new Map([sandbox, ...extra].map((connector) => [connector.platform, connector]));
}
