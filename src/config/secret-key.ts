import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Logger } from 'pino';

import { parseSecretKey } from '../storage/secret-box.js';
import type { Config } from './config.js';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * WAYMARK_SECRET_KEY when set; otherwise the key kept in the data directory,
 * generated on first start. Losing that file makes stored credentials
 * unreadable, and every process of a scale-out deployment needs the same key,
 * so the generated key comes with a warning.
 */
export function loadSecretKey(config: Config, logger: Pick<Logger, 'warn'>): Buffer {
  if (config.secretKey) return parseSecretKey(config.secretKey);
  const path = join(config.dataDir, SECRET_KEY_FILE);
  if (existsSync(path)) return parseSecretKey(readFileSync(path, 'utf8'));
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  logger.warn(
    { path },
    'WAYMARK_SECRET_KEY is not set: generated a key into the data directory. Back it up with the database, and set WAYMARK_SECRET_KEY (the same on every process) before running more than one machine.',
  );
  return key;
}
