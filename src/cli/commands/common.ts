import type { Command } from 'commander';

import { ConfigError } from '../../config/config.js';
import { loadConfig, openRuntime, type CommonFlags, type Runtime } from '../runtime.js';
import { UsageError } from '../usage-error.js';

const CONFIG_HELP = `
Configuration comes from the environment, and these flags override it:
  DATABASE_URL        sqlite:PATH (default sqlite:./data/waymark.db) or postgres://…
  WAYMARK_DATA_DIR    where the generated secret key lives (default ./data)
  WAYMARK_SECRET_KEY  32-byte key (base64 or hex) for stored secrets; generated when absent
  LOG_LEVEL           fatal, error, warn, info (default), debug, trace, silent
See docs/CONFIGURATION.md for every setting.`;

export function withCommonOptions(command: Command): Command {
  return command
    .option('--database-url <url>', 'database to use (overrides DATABASE_URL)')
    .option('--data-dir <dir>', 'data directory (overrides WAYMARK_DATA_DIR)')
    .option('--log-level <level>', 'log level (overrides LOG_LEVEL)')
    .addHelpText('after', CONFIG_HELP);
}

/** Opens config and storage for a one-shot command; logs go to stderr so stdout stays JSON. */
export async function withRuntime<T>(
  flags: CommonFlags & Record<string, unknown>,
  work: (runtime: Runtime) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  let config;
  try {
    config = loadConfig({ logLevel: 'warn', ...flags });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const runtime = openRuntime(config, { logDestination: 2, poolSize: 2 });
  try {
    if (options.migrate !== false) await runtime.storage.migrate();
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
