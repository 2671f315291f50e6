import { randomBytes } from 'node:crypto';

import type { Command } from 'commander';

import { addStoreUser } from '../../app/manage-store-access.js';

import { ConfigError } from '../../config/config.js';
import { scryptPasswords } from '../dashboard.js';
import { runServer, stopOnSignals } from '../run-server.js';
import { loadConfig, openRuntime, type Runtime } from '../runtime.js';
import { UsageError } from '../usage-error.js';
import { withCommonOptions } from './common.js';

type ServerFlags = {
  port?: string;
  host?: string;
  demo?: boolean;
  databaseUrl?: string;
  dataDir?: string;
  logLevel?: string;
};

function parsePort(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535 (got "${value}")`);
  return value;
}

async function launch(flags: ServerFlags, roles: { http: boolean; workers: boolean; migrate: boolean }): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...flags, port: parsePort(flags.port) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const runtime = openRuntime(config, { longRunning: true });
  const server = await runServer(runtime, roles);
  stopOnSignals(server, runtime);
  if (server.url) {
    runtime.logger.info(
      { url: server.url, databaseUrl: config.databaseUrl.replace(/:[^:@/]*@/, ':***@') },
      'waymark is running',
    );
    process.stderr.write(
      `\nWaymark is running at ${server.url}\n  Dashboard: ${server.url}/dashboard\n  API docs:  ${server.url}/api/docs\n  Health:    ${server.url}/readyz\n\n`,
    );
  } else {
    runtime.logger.info('waymark worker is running');
  }
  if (roles.http && flags.demo !== false) await ensureDemoStore(runtime, server.url);
}

/** The demo store's first dashboard owner: a newcomer signs in with it and the password printed once. */
export const DEMO_OWNER_EMAIL = 'demo@waymark.local';

/**
 * A fresh database gets a demo store on the sandbox platform and carrier:
 * orders arrive, ship and move within a minute, with no credentials. Its
 * owner's password is random and printed once, like its API key: a fixed one
 * would open every demo left reachable on a network.
 */
async function ensureDemoStore(runtime: Runtime, url: string | null): Promise<void> {
  const stores = runtime.storage.repositories.stores;
  if ((await stores.listStores()).length > 0) return;
  const now = runtime.clock.now();
  const demo = await stores.createStore(
    { name: 'Demo Store', slug: 'demo', platform: 'sandbox', branding: { displayName: 'Demo Store' } },
    now,
  );
  const { key } = await runtime.storage.repositories.apiKeys.createApiKey(demo.id, 'demo', now);
  const password = randomBytes(12).toString('base64url');
  const owner = await addStoreUser(
    { users: runtime.storage.repositories.users, passwords: scryptPasswords, clock: runtime.clock },
    demo.id,
    { email: DEMO_OWNER_EMAIL, role: 'owner', password },
  );
  runtime.logger.info({ storeId: demo.id, slug: demo.slug, owner: DEMO_OWNER_EMAIL }, 'demo store created');
  const base = url ?? 'http://localhost:3000';
  process.stderr.write(
    `Demo store created: a new sandbox order every ${runtime.config.sandbox.orderEverySeconds} s, shipped ${runtime.config.sandbox.fulfilAfterSeconds} s later.\n` +
      `  Dashboard: ${base}/dashboard — sign in as ${DEMO_OWNER_EMAIL} with ${owner.created ? `the password ${password} (shown once)` : 'the password it already has'}\n` +
      `  Its API key (shown once): ${key}\n` +
      `  Try: curl -H "Authorization: Bearer ${key}" ${base}/api/v1/orders\n` +
      `  Customer tracking page: ${base}/track/${demo.slug} (order number + the customer's email or postal code)\n\n`,
  );
}

export function registerServerCommands(program: Command): void {
  withCommonOptions(
    program
      .command('start')
      .description('run HTTP and the workers in one process (the embedded default); migrates first')
      .option('-p, --port <port>', 'HTTP port (overrides PORT; default 3000)')
      .option('--host <host>', 'bind address (overrides HOST; default 127.0.0.1)')
      .option('--no-demo', 'do not create the demo store on a fresh database'),
  ).action((flags: ServerFlags) => launch(flags, { http: true, workers: true, migrate: true }));

  withCommonOptions(
    program
      .command('serve')
      .description('run only the stateless HTTP server (scale-out; run `waymark migrate` first)')
      .option('-p, --port <port>', 'HTTP port (overrides PORT; default 3000)')
      .option('--host <host>', 'bind address (overrides HOST; default 127.0.0.1)'),
  ).action((flags: ServerFlags) => launch({ ...flags, demo: false }, { http: true, workers: false, migrate: false }));

  withCommonOptions(
    program.command('worker').description('run only the worker loops (scale-out; any number of them)'),
  ).action((flags: ServerFlags) => launch({ ...flags, demo: false }, { http: false, workers: true, migrate: false }));
}
