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
import { createCarrierClientResolver } from '../app/manage-carrier-accounts.js';
import type { InboundProcessorRegistry } from '../app/process-inbound-webhook.js';
import type {
  CarrierAccountStore,
  CarrierClientFactory,
  CarrierClientResolver,
} from '../core/ports/carrier-account.port.js';
import type { CarrierClient, CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { Config } from '../config/config.js';

/**
 * Default call rates per credential, shared by all workers: UPS publishes no
 * limit (5/s is polite), FedEx allows 1,400 per 10 s (we use far less),
 * USPS's default quota is about 60 an hour, DHL's starter plan 250 a day.
 */
const DEFAULT_RATE_PER_SECOND = { ups: 5, fedex: 10, usps: 60 / 3600, dhl: 250 / 86_400 } as const;

/** Unmapped carrier codes are logged once each, so a table can be extended. */
function unmappedCodeReporter(logger: Pick<Logger, 'warn'>): (carrier: string) => (code: string) => void {
  const seen = new Set<string>();
  return (carrier) => (code) => {
    if (seen.has(`${carrier}:${code}`)) return;
    seen.add(`${carrier}:${code}`);
    logger.warn({ carrier, code }, 'unmapped carrier status code: recorded as unknown; extend the status map');
  };
}

/**
 * Builds one carrier client per credential (its own OAuth token cache,
 * circuit breaker and rate limiter). The rate budget shared by every worker
 * is keyed per credential: `ups:env` for the instance-wide one, `ups:<account
 * id>` for a store's own. Base URLs come from the environment for every
 * credential, so a test environment applies to stores' accounts too.
 */
export function createCarrierClientFactory(
  config: Config,
  logger: Pick<Logger, 'warn'>,
  budget?: SharedRateBudget,
): CarrierClientFactory {
  const c = config.carriers;
  const onUnmappedCode = unmappedCodeReporter(logger);
  // Without a shared budget (one-off `waymark track`, a credentials test), each client paces itself.
  const limiterFor = (
    carrier: keyof typeof DEFAULT_RATE_PER_SECOND,
    credential: string,
    ratePerSecond: number | null | undefined,
  ) => {
    const rate = ratePerSecond ?? c.ratePerSecond[carrier] ?? DEFAULT_RATE_PER_SECOND[carrier];
    return budget
      ? new SharedRateLimiter(budget, { key: `${carrier}:${credential}`, ratePerSecond: rate })
      : new RateLimiter({ ratePerSecond: rate });
  };
  const oauth = (credentials: Record<string, string>) => ({
    clientId: credentials.clientId ?? '',
    clientSecret: credentials.clientSecret ?? '',
  });
  return (carrier, credentials, { credential, ratePerSecond }) => {
    switch (carrier) {
      case 'ups':
        return createUpsClient({
          credentials: oauth(credentials),
          limiter: limiterFor('ups', credential, ratePerSecond),
          ...(c.ups.baseUrl ? { baseUrl: c.ups.baseUrl } : {}),
          onUnmappedCode: onUnmappedCode('ups'),
        });
      case 'fedex':
        return createFedexClient({
          credentials: oauth(credentials),
          limiter: limiterFor('fedex', credential, ratePerSecond),
          ...(c.fedex.baseUrl ? { baseUrl: c.fedex.baseUrl } : {}),
          onUnmappedCode: onUnmappedCode('fedex'),
        });
      case 'usps':
        return createUspsClient({
          credentials: oauth(credentials),
          limiter: limiterFor('usps', credential, ratePerSecond),
          ...(c.usps.baseUrl ? { baseUrl: c.usps.baseUrl } : {}),
          onUnmappedCode: onUnmappedCode('usps'),
        });
      case 'dhl':
        return createDhlClient({
          apiKey: credentials.apiKey ?? '',
          limiter: limiterFor('dhl', credential, ratePerSecond),
          ...(c.dhl.baseUrl ? { baseUrl: c.dhl.baseUrl } : {}),
          onUnmappedCode: onUnmappedCode('dhl'),
        });
      default:
        return null;
    }
  };
}

/**
 * The instance-wide carriers: the sandbox always, the others when their
 * credentials are in the environment.
 */
export function buildCarrierRegistry(
  config: Config,
  logger: Pick<Logger, 'warn'>,
  budget?: SharedRateBudget,
  buildClient: CarrierClientFactory = createCarrierClientFactory(config, logger, budget),
): CarrierRegistry {
  const c = config.carriers;
  const fromEnvironment: [string, Record<string, string> | null][] = [
    [
      'ups',
      c.ups.clientId && c.ups.clientSecret ? { clientId: c.ups.clientId, clientSecret: c.ups.clientSecret } : null,
    ],
    [
      'fedex',
      c.fedex.clientId && c.fedex.clientSecret
        ? { clientId: c.fedex.clientId, clientSecret: c.fedex.clientSecret }
        : null,
    ],
    [
      'usps',
      c.usps.clientId && c.usps.clientSecret ? { clientId: c.usps.clientId, clientSecret: c.usps.clientSecret } : null,
    ],
    ['dhl', c.dhl.apiKey ? { apiKey: c.dhl.apiKey } : null],
  ];
  const clients: CarrierClient[] = [
    createSandboxClient({
      stepSeconds: c.sandboxStepSeconds,
      onUnmappedCode: unmappedCodeReporter(logger)('sandbox'),
    }),
  ];
  for (const [carrier, credentials] of fromEnvironment) {
    const client = credentials ? buildClient(carrier, credentials, { credential: 'env' }) : null;
    if (client) clients.push(client);
  }
  return new Map(clients.map((client) => [client.carrier, client]));
}

/**
 * Per store and carrier: the store's own enabled account, else the
 * instance-wide client from `instanceWide`, else none (the refresher marks
 * the shipment's tracker as missing credentials).
 */
export function buildCarrierClientResolver(
  config: Config,
  logger: Pick<Logger, 'warn'>,
  deps: {
    accounts: Pick<CarrierAccountStore, 'findCarrierAccount'>;
    budget?: SharedRateBudget;
    instanceWide?: CarrierRegistry;
  },
): CarrierClientResolver {
  const buildClient = createCarrierClientFactory(config, logger, deps.budget);
  return createCarrierClientResolver({
    accounts: deps.accounts,
    buildClient,
    instanceWide: deps.instanceWide ?? buildCarrierRegistry(config, logger, deps.budget, buildClient),
  });
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
