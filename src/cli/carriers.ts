import { createHash } from 'node:crypto';

import type { Logger } from 'pino';

import { carrierWebhookSources } from '../adapters/carriers/carrier-registry.js';
import { createDhlClient } from '../adapters/carriers/dhl/dhl.client.js';
import { RateLimiter } from '../adapters/carriers/shared/rate-limiter.js';
import { SharedRateLimiter } from '../adapters/carriers/shared/shared-rate-limiter.js';
import type { SharedRateBudget } from '../core/ports/rate-budget.port.js';
import { createFedexClient } from '../adapters/carriers/fedex/fedex.client.js';
import { createSandboxClient } from '../adapters/carriers/sandbox/sandbox.client.js';
import { createUpsClient } from '../adapters/carriers/ups/ups.client.js';
import { createUspsClient } from '../adapters/carriers/usps/usps.client.js';
import { carrierWebhookProcessor, type CarrierWebhookRegistry } from '../app/ingest-carrier-webhook.js';
import type { InboundProcessorRegistry } from '../app/process-inbound-webhook.js';
import type { CarrierClient, CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { Config } from '../config/config.js';

/**
 * The carriers this deployment can track: the sandbox always, the others when
 * their credentials are in the environment. Unmapped carrier codes are logged
 * once each, so a table can be extended.
 */
/**
 * Default call rates per credential, shared by all workers: UPS publishes no
 * limit (5/s is polite), FedEx allows 1,400 per 10 s (we use far less),
 * USPS's default quota is about 60 an hour, DHL's starter plan 250 a day.
 */
const DEFAULT_RATE_PER_SECOND = { ups: 5, fedex: 10, usps: 60 / 3600, dhl: 250 / 86_400 } as const;

function credentialKey(carrier: string, identity: string): string {
  return `${carrier}:${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

export function buildCarrierRegistry(
  config: Config,
  logger: Pick<Logger, 'warn'>,
  budget?: SharedRateBudget,
): CarrierRegistry {
  const c = config.carriers;
  // Without a shared budget (one-off `waymark track`), each client paces itself.
  const limiterFor = (carrier: keyof typeof DEFAULT_RATE_PER_SECOND, identity: string) => {
    const ratePerSecond = c.ratePerSecond[carrier] ?? DEFAULT_RATE_PER_SECOND[carrier];
    return budget
      ? new SharedRateLimiter(budget, { key: credentialKey(carrier, identity), ratePerSecond })
      : new RateLimiter({ ratePerSecond });
  };
  const seen = new Set<string>();
  const onUnmappedCode = (carrier: string) => (code: string) => {
    if (seen.has(`${carrier}:${code}`)) return;
    seen.add(`${carrier}:${code}`);
    logger.warn({ carrier, code }, 'unmapped carrier status code: recorded as unknown; extend the status map');
  };
  const clients: CarrierClient[] = [
    createSandboxClient({ stepSeconds: c.sandboxStepSeconds, onUnmappedCode: onUnmappedCode('sandbox') }),
  ];
  if (c.ups.clientId && c.ups.clientSecret) {
    clients.push(
      createUpsClient({
        credentials: { clientId: c.ups.clientId, clientSecret: c.ups.clientSecret },
        limiter: limiterFor('ups', c.ups.clientId),
        ...(c.ups.baseUrl ? { baseUrl: c.ups.baseUrl } : {}),
        onUnmappedCode: onUnmappedCode('ups'),
      }),
    );
  }
  if (c.fedex.clientId && c.fedex.clientSecret) {
    clients.push(
      createFedexClient({
        credentials: { clientId: c.fedex.clientId, clientSecret: c.fedex.clientSecret },
        limiter: limiterFor('fedex', c.fedex.clientId),
        ...(c.fedex.baseUrl ? { baseUrl: c.fedex.baseUrl } : {}),
        onUnmappedCode: onUnmappedCode('fedex'),
      }),
    );
  }
  if (c.usps.clientId && c.usps.clientSecret) {
    clients.push(
      createUspsClient({
        credentials: { clientId: c.usps.clientId, clientSecret: c.usps.clientSecret },
        limiter: limiterFor('usps', c.usps.clientId),
        ...(c.usps.baseUrl ? { baseUrl: c.usps.baseUrl } : {}),
        onUnmappedCode: onUnmappedCode('usps'),
      }),
    );
  }
  if (c.dhl.apiKey) {
    clients.push(
      createDhlClient({
        apiKey: c.dhl.apiKey,
        limiter: limiterFor('dhl', c.dhl.apiKey),
        ...(c.dhl.baseUrl ? { baseUrl: c.dhl.baseUrl } : {}),
        onUnmappedCode: onUnmappedCode('dhl'),
      }),
    );
  }
  return new Map(clients.map((client) => [client.carrier, client]));
}

/** Push sources with a configured secret; the others answer 404. */
export function buildCarrierWebhookRegistry(config: Config): CarrierWebhookRegistry {
  const sources = carrierWebhookSources();
  const secrets: Record<string, string | undefined> = {
    ...config.carriers.webhookSecrets,
    ups: config.carriers.ups.webhookKey,
  };
  const registry = new Map<string, { handler: (typeof sources)[string]; secret: string }>();
  for (const [name, handler] of Object.entries(sources)) {
    const secret = secrets[name];
    if (handler && secret) registry.set(name, { handler, secret });
  }
  return registry;
}

/** Inbox processors: one per configured carrier webhook source. */
export function buildInboundProcessors(
  deps: { uow: UnitOfWork; clock: Clock },
  webhooks: CarrierWebhookRegistry,
): InboundProcessorRegistry {
  const processors = [...webhooks.values()].map(({ handler }) => carrierWebhookProcessor(deps, handler));
  return new Map(processors.map((p) => [p.source, p]));
}
