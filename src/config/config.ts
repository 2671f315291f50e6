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
  SMTP_URL: z.string().optional(),
  WAYMARK_EMAIL_FROM: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export type Config = Readonly<{
  databaseUrl: string;
  port: number;
  host: string;
  dataDir: string;
  secretKey: string | undefined;
  publicUrl: string | undefined;
  logLevel: RawConfig['LOG_LEVEL'];
  bodyLimit: number;
  worker: Readonly<{ batchSize: number; leaseMs: number; pollIntervalMs: number; maxAttempts: number }>;
  smtp: Readonly<{ url: string | undefined; from: string | undefined }>;
  twilio: Readonly<{ accountSid: string | undefined; authToken: string | undefined; from: string | undefined }>;
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
    logLevel: raw.LOG_LEVEL,
    bodyLimit: raw.WAYMARK_BODY_LIMIT,
    worker: Object.freeze({
      batchSize: raw.WAYMARK_WORKER_BATCH,
      leaseMs: raw.WAYMARK_LEASE_MS,
      pollIntervalMs: raw.WAYMARK_POLL_INTERVAL_MS,
      maxAttempts: raw.WAYMARK_MAX_ATTEMPTS,
    }),
    smtp: Object.freeze({ url: raw.SMTP_URL, from: raw.WAYMARK_EMAIL_FROM }),
    twilio: Object.freeze({
      accountSid: raw.TWILIO_ACCOUNT_SID,
      authToken: raw.TWILIO_AUTH_TOKEN,
      from: raw.TWILIO_FROM,
    }),
  });
}

/** The documented keys, for `--help` and docs. */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape);
