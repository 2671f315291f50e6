import { readFileSync } from 'node:fs';

import { pino, type Logger } from 'pino';

import { systemClock, type Clock } from '../core/ports/clock.port.js';
import { parseConfig, type Config } from '../config/config.js';
import { loadSecretKey } from '../config/secret-key.js';
import { Metrics } from '../http/metrics.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';

/** Flags every command shares, overriding the environment. */
export type CommonFlags = { databaseUrl?: string; dataDir?: string; logLevel?: string };

export type Runtime = {
  config: Config;
  /** WAYMARK_SECRET_KEY (or the generated one): stored secrets and signed links derive from it. */
  secretKey: Buffer;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  storage: Storage;
  close(): Promise<void>;
};

export function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Environment merged with flags (flags win), validated once. */
export function loadConfig(flags: CommonFlags & Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Config {
  const fromFlags: Record<string, string | undefined> = {
    DATABASE_URL: flags.databaseUrl,
    WAYMARK_DATA_DIR: flags.dataDir,
    LOG_LEVEL: flags.logLevel,
    PORT: typeof flags.port === 'string' || typeof flags.port === 'number' ? String(flags.port) : undefined,
    HOST: typeof flags.host === 'string' ? flags.host : undefined,
  };
  const defined = Object.fromEntries(Object.entries(fromFlags).filter(([, v]) => v !== undefined));
  const merged: Record<string, string | undefined> = { ...env, ...defined };
  // The default SQLite file lives in the data directory when only that was moved.
  if (!merged.DATABASE_URL && merged.WAYMARK_DATA_DIR)
    merged.DATABASE_URL = `sqlite:${merged.WAYMARK_DATA_DIR.replace(/\/$/, '')}/waymark.db`;
  return parseConfig(merged);
}

export function createLogger(config: Config, options: { destination?: number } = {}): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret', '*.token'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: options.destination ?? 1, sync: false }),
  );
}

/** Config → logger → secret key → storage: the wiring every command needs. */
export function openRuntime(
  config: Config,
  options: { logDestination?: number; poolSize?: number; longRunning?: boolean } = {},
): Runtime {
  const logger = createLogger(config, { destination: options.logDestination });
  const metrics = new Metrics();
  const secretKey = loadSecretKey(config, logger);
  const secretBox = new SecretBox(secretKey);
  const storage = Storage.open(config.databaseUrl, secretBox, {
    poolSize: options.poolSize,
    onQuery: (sqlText, ms, failed) => metrics.observeQuery(sqlText, ms, failed),
    // Servers and workers write all day; a short command is over before a checkpoint would matter.
    backgroundCheckpoints: options.longRunning === true,
    onCheckpointWarning: (message) => logger.warn({ reason: message }, 'SQLite background checkpoint failed'),
  });
  return {
    config,
    secretKey,
    logger,
    clock: systemClock,
    metrics,
    storage,
    async close() {
      await storage.close();
      logger.flush();
    },
  };
}
