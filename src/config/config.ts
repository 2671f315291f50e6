import { z } from 'zod';

/**
 * Every setting Waymark reads, in one place. Parsed once in the composition
 * roots (`cli/`), validated, frozen and passed down; nothing else reads
 * `process.env`.
 */
const ConfigSchema = z.object({
  /** `sqlite:PATH` (default, embedded) or `postgres://…` (scale-out). */
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/waymark.db')
    .refine((value) => value.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(value), {
      message: 'must start with sqlite: or postgres://',
    }),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** HTTP bind address. `0.0.0.0` to listen on every interface (containers). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where Waymark keeps its generated secret key (and the SQLite file by default). */
  WAYMARK_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * 32-byte key (base64 or hex) encrypting stored credentials and signing
   * tracking links. When absent, one is generated into the data directory.
   */
  WAYMARK_SECRET_KEY: z.string().optional(),
  /** The URL customers and platforms reach this server on; used in webhook and tracking links. */
  WAYMARK_PUBLIC_URL: z.string().url().optional(),
  /**
   * Behind a reverse proxy: which X-Forwarded-For hops to believe for the client's
   * address (rate limits of the tracking look-up depend on it). `true`, a hop count,
   * or comma-separated addresses/CIDRs of the proxies. Unset: the socket address.
   */
  WAYMARK_TRUST_PROXY: z.string().optional(),
  /** How long a tracking link in a notification opens the order, in days. */
  WAYMARK_TRACKING_LINK_DAYS: z.coerce.number().int().positive().max(3650).default(90),
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted, in bytes; larger bodies get 413. */
  WAYMARK_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  /** Worker loop: rows claimed per batch. */
  WAYMARK_WORKER_BATCH: z.coerce.number().int().positive().max(1000).default(50),
  /** Worker loop: how long a claim is held before another worker may take the row, in ms. */
  WAYMARK_LEASE_MS: z.coerce.number().int().positive().default(60_000),
  /** Worker loop: idle poll interval in ms. */
  WAYMARK_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  /** Attempts before a row is parked as dead with its last error. */
  WAYMARK_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  /** SMTP transport, e.g. `smtp://user:pass@host:587`. Without it messages stay in the local outbox. */
  /** Seconds between two orders of the sandbox (demo) store. */
  WAYMARK_SANDBOX_ORDER_SECONDS: z.coerce.number().positive().max(86_400).default(30),
  /** Seconds from a sandbox order to its fulfilment. */
  WAYMARK_SANDBOX_FULFIL_SECONDS: z.coerce.number().positive().max(86_400).default(40),
  /** Seconds between two steps of a sandbox carrier story. */
  WAYMARK_SANDBOX_STEP_SECONDS: z.coerce.number().positive().max(86_400).default(20),
  /** UPS Track API (OAuth client credentials). */
  WAYMARK_UPS_CLIENT_ID: z.string().optional(),
  WAYMARK_UPS_CLIENT_SECRET: z.string().optional(),
  /** FedEx Track API (OAuth client credentials). */
  WAYMARK_FEDEX_CLIENT_ID: z.string().optional(),
  WAYMARK_FEDEX_CLIENT_SECRET: z.string().optional(),
  /** USPS Tracking v3 (OAuth client credentials). */
  WAYMARK_USPS_CLIENT_ID: z.string().optional(),
  WAYMARK_USPS_CLIENT_SECRET: z.string().optional(),
  /** DHL Shipment Tracking – Unified (API key). */
  WAYMARK_DHL_API_KEY: z.string().optional(),
  /** Base URL overrides (vendor test environments, or a local fake in tests). */
  WAYMARK_UPS_BASE_URL: z.string().url().optional(),
  WAYMARK_FEDEX_BASE_URL: z.string().url().optional(),
  WAYMARK_USPS_BASE_URL: z.string().url().optional(),
  WAYMARK_DHL_BASE_URL: z.string().url().optional(),
  /** Replaces `https://{shop}.myshopify.com` for every Shopify store (a local fake in tests). */
  WAYMARK_SHOPIFY_BASE_URL: z.string().url().optional(),
  /** Calls per second per credential, shared by all workers (defaults: UPS 5, FedEx 10, USPS 60/h, DHL 250/day). */
  WAYMARK_UPS_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  WAYMARK_FEDEX_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  WAYMARK_USPS_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  WAYMARK_DHL_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  /** Secrets of carrier and aggregator webhooks; a source without one is not accepted. */
  WAYMARK_EASYPOST_WEBHOOK_SECRET: z.string().optional(),
  WAYMARK_AFTERSHIP_WEBHOOK_SECRET: z.string().optional(),
  WAYMARK_SHIPPO_WEBHOOK_TOKEN: z.string().optional(),
  /** The `x-api-key` UPS Track Alert sends (the OAuth client id by default). */
  WAYMARK_UPS_WEBHOOK_KEY: z.string().optional(),
  /** Let merchant webhook endpoints be on private networks (an on-premises ERP). Off: SSRF protection. */
  WAYMARK_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '1', '0']).default('false'),
  SMTP_URL: z.string().optional(),
  WAYMARK_EMAIL_FROM: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  /** Replaces `https://api.twilio.com` (a local fake in tests). */
  TWILIO_BASE_URL: z.string().url().optional(),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export type Config = Readonly<{
  databaseUrl: string;
  port: number;
  host: string;
  dataDir: string;
  secretKey: string | undefined;
  publicUrl: string | undefined;
  trackingLinkDays: number;
  trustProxy: boolean | number | string | undefined;
  logLevel: RawConfig['LOG_LEVEL'];
  bodyLimit: number;
  worker: Readonly<{ batchSize: number; leaseMs: number; pollIntervalMs: number; maxAttempts: number }>;
  sandbox: Readonly<{ orderEverySeconds: number; fulfilAfterSeconds: number }>;
  carriers: Readonly<{
    sandboxStepSeconds: number;
    ups: Readonly<{ clientId?: string; clientSecret?: string; baseUrl?: string; webhookKey?: string }>;
    fedex: Readonly<{ clientId?: string; clientSecret?: string; baseUrl?: string }>;
    usps: Readonly<{ clientId?: string; clientSecret?: string; baseUrl?: string }>;
    dhl: Readonly<{ apiKey?: string; baseUrl?: string }>;
    webhookSecrets: Readonly<{ easypost?: string; aftership?: string; shippo?: string }>;
    ratePerSecond: Readonly<{ ups?: number; fedex?: number; usps?: number; dhl?: number }>;
  }>;
  smtp: Readonly<{ url: string | undefined; from: string | undefined }>;
  platforms: Readonly<{ shopify: Readonly<{ baseUrl?: string }> }>;
  webhooksAllowPrivateNetworks: boolean;
  twilio: Readonly<{
    accountSid: string | undefined;
    authToken: string | undefined;
    from: string | undefined;
    baseUrl: string | undefined;
  }>;
}>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment (with flag overrides already merged in) and freezes the result. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const raw = result.data;
  return Object.freeze({
    databaseUrl: raw.DATABASE_URL,
    port: raw.PORT,
    host: raw.HOST,
    dataDir: raw.WAYMARK_DATA_DIR,
    secretKey: raw.WAYMARK_SECRET_KEY,
    publicUrl: raw.WAYMARK_PUBLIC_URL,
    trackingLinkDays: raw.WAYMARK_TRACKING_LINK_DAYS,
    trustProxy: parseTrustProxy(raw.WAYMARK_TRUST_PROXY),
    logLevel: raw.LOG_LEVEL,
    bodyLimit: raw.WAYMARK_BODY_LIMIT,
    worker: Object.freeze({
      batchSize: raw.WAYMARK_WORKER_BATCH,
      leaseMs: raw.WAYMARK_LEASE_MS,
      pollIntervalMs: raw.WAYMARK_POLL_INTERVAL_MS,
      maxAttempts: raw.WAYMARK_MAX_ATTEMPTS,
    }),
    sandbox: Object.freeze({
      orderEverySeconds: raw.WAYMARK_SANDBOX_ORDER_SECONDS,
      fulfilAfterSeconds: raw.WAYMARK_SANDBOX_FULFIL_SECONDS,
    }),
    carriers: Object.freeze({
      sandboxStepSeconds: raw.WAYMARK_SANDBOX_STEP_SECONDS,
      ups: Object.freeze({
        clientId: raw.WAYMARK_UPS_CLIENT_ID,
        clientSecret: raw.WAYMARK_UPS_CLIENT_SECRET,
        baseUrl: raw.WAYMARK_UPS_BASE_URL,
        webhookKey: raw.WAYMARK_UPS_WEBHOOK_KEY ?? raw.WAYMARK_UPS_CLIENT_ID,
      }),
      fedex: Object.freeze({
        clientId: raw.WAYMARK_FEDEX_CLIENT_ID,
        clientSecret: raw.WAYMARK_FEDEX_CLIENT_SECRET,
        baseUrl: raw.WAYMARK_FEDEX_BASE_URL,
      }),
      usps: Object.freeze({
        clientId: raw.WAYMARK_USPS_CLIENT_ID,
        clientSecret: raw.WAYMARK_USPS_CLIENT_SECRET,
        baseUrl: raw.WAYMARK_USPS_BASE_URL,
      }),
      dhl: Object.freeze({ apiKey: raw.WAYMARK_DHL_API_KEY, baseUrl: raw.WAYMARK_DHL_BASE_URL }),
      ratePerSecond: Object.freeze({
        ups: raw.WAYMARK_UPS_RATE_PER_SECOND,
        fedex: raw.WAYMARK_FEDEX_RATE_PER_SECOND,
        usps: raw.WAYMARK_USPS_RATE_PER_SECOND,
        dhl: raw.WAYMARK_DHL_RATE_PER_SECOND,
      }),
      webhookSecrets: Object.freeze({
        easypost: raw.WAYMARK_EASYPOST_WEBHOOK_SECRET,
        aftership: raw.WAYMARK_AFTERSHIP_WEBHOOK_SECRET,
        shippo: raw.WAYMARK_SHIPPO_WEBHOOK_TOKEN,
      }),
    }),
    smtp: Object.freeze({ url: raw.SMTP_URL, from: raw.WAYMARK_EMAIL_FROM }),
    platforms: Object.freeze({ shopify: Object.freeze({ baseUrl: raw.WAYMARK_SHOPIFY_BASE_URL }) }),
    webhooksAllowPrivateNetworks:
      raw.WAYMARK_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === 'true' || raw.WAYMARK_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === '1',
    twilio: Object.freeze({
      accountSid: raw.TWILIO_ACCOUNT_SID,
      authToken: raw.TWILIO_AUTH_TOKEN,
      from: raw.TWILIO_FROM,
      baseUrl: raw.TWILIO_BASE_URL,
    }),
  });
}

/** The documented keys, for `--help` and docs. */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape);

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}
