import type { Command } from 'commander';

import { hashPassword } from '../../adapters/auth/password.js';
import { registerPlatformWebhooks, type WebhookRegistration } from '../../app/register-platform-webhooks.js';
import { isPlatform, PLATFORMS, type Platform } from '../../core/store/store.js';
import { UserRole } from '../../storage/repositories/user.repository.js';
import { buildPlatformRegistry } from '../platforms.js';
import type { Runtime } from '../runtime.js';
import { UsageError } from '../usage-error.js';
import { printJson, withCommonOptions, withRuntime } from './common.js';

const WEBHOOK_PLATFORMS: ReadonlySet<Platform> = new Set(['shopify', 'bigcommerce', 'woocommerce', 'magento']);
/** Platforms Waymark can post carrier news back to (Shopify fulfilment events). */
const WRITE_BACK_PLATFORMS: ReadonlySet<Platform> = new Set(['shopify']);

/** Credential flags by name, stored under the same key in the store's sealed secrets. */
const CREDENTIAL_FLAGS = [
  'accessToken',
  'apiKey',
  'apiSecret',
  'clientId',
  'clientSecret',
  'consumerKey',
  'consumerSecret',
  'storeHash',
] as const;

type StoreAddFlags = {
  platform?: string;
  name?: string;
  slug?: string;
  domain?: string;
  webhookSecret?: string;
  locale?: string;
  timeZone?: string;
  credential?: string[];
  writeBack?: boolean;
} & Partial<Record<(typeof CREDENTIAL_FLAGS)[number], string>>;

function publicUrl(runtime: Runtime): string {
  return runtime.config.publicUrl ?? `http://localhost:${runtime.config.port}`;
}

async function findStoreByIdOrSlug(runtime: Runtime, idOrSlug: string) {
  const stores = runtime.storage.repositories.stores;
  const store = /^[0-9a-f-]{36}$/i.test(idOrSlug)
    ? await stores.findStoreById(idOrSlug)
    : await stores.findStoreBySlug(idOrSlug);
  if (!store) throw new UsageError(`no store with id or slug "${idOrSlug}" (see \`waymark store list\`)`);
  return store;
}

/** Registers the store's webhooks on its platform; a failure is reported on stderr, never thrown. */
async function registerWebhooksReporting(
  runtime: Runtime,
  store: { id: string; platform: Platform },
): Promise<WebhookRegistration> {
  const storeId = store.id;
  const registration = await registerPlatformWebhooks(
    { uow: runtime.storage, platforms: buildPlatformRegistry(runtime.config), publicUrl: runtime.config.publicUrl },
    storeId,
  );
  if (registration.status === 'failed') {
    process.stderr.write(
      `waymark: warning: webhooks not registered${registration.topic ? ` (${registration.topic})` : ''}: ${registration.error.message}; ` +
        `polling still syncs the store; try again with \`waymark store webhooks --store ${storeId}\`\n`,
    );
  } else if (registration.status === 'skipped' && WEBHOOK_PLATFORMS.has(store.platform)) {
    process.stderr.write(`waymark: note: webhooks not registered: ${registration.reason}\n`);
  }
  return registration;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function registerAdminCommands(program: Command): void {
  const store = program.command('store').description('manage stores (tenants)');

  withCommonOptions(
    store
      .command('add')
      .description(
        'connect a store and register its webhooks where the platform allows; prints {"id","slug","platform","webhookUrl","writeBack","webhookRegistration"}',
      )
      .option('--platform <platform>', `selling platform: ${PLATFORMS.join(', ')}`)
      .option('--name <name>', 'display name')
      .option('--slug <slug>', 'URL name for the tracking page (default: from the name)')
      .option('--domain <domain>', 'shop domain, e.g. example.myshopify.com')
      .option('--webhook-secret <secret>', 'secret the platform signs webhooks with')
      .option('--locale <locale>', 'default language of customer messages (default en)')
      .option('--time-zone <zone>', 'IANA time zone of the store (default UTC)')
      .option('--access-token <token>', 'platform access token (Shopify, BigCommerce, Magento)')
      .option('--api-key <key>', 'platform API key')
      .option('--api-secret <secret>', 'platform API secret')
      .option('--client-id <id>', 'platform OAuth client id')
      .option('--client-secret <secret>', 'platform OAuth client secret')
      .option('--consumer-key <key>', 'WooCommerce consumer key')
      .option('--consumer-secret <secret>', 'WooCommerce consumer secret')
      .option('--store-hash <hash>', 'BigCommerce store hash')
      .option('--credential <key=value...>', 'any other credential, repeatable')
      .option('--write-back', 'post carrier milestones to the platform as fulfilment events (Shopify)'),
  ).action((flags: StoreAddFlags) => {
    // Validate before touching the database or the data directory.
    if (!flags.platform) throw new UsageError(`--platform is required (${PLATFORMS.join(', ')})`);
    const platform = flags.platform;
    if (!isPlatform(platform))
      throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')} (got "${platform}")`);
    const name = flags.name?.trim();
    if (!name) throw new UsageError('--name is required');
    if (flags.writeBack && !WRITE_BACK_PLATFORMS.has(platform))
      throw new UsageError(`--write-back is available for ${[...WRITE_BACK_PLATFORMS].join(', ')} stores only`);
    if (flags.timeZone && !isValidTimeZone(flags.timeZone))
      throw new UsageError(`--time-zone "${flags.timeZone}" is not an IANA time zone`);
    const credentials: Record<string, string> = {};
    for (const key of CREDENTIAL_FLAGS) {
      const value = flags[key];
      if (value) credentials[key] = value;
    }
    for (const pair of flags.credential ?? []) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--credential must be KEY=VALUE (got "${pair}")`);
      credentials[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return withRuntime(flags, async (runtime) => {
      const created = await runtime.storage.repositories.stores.createStore(
        {
          name,
          platform,
          ...(flags.slug ? { slug: flags.slug } : {}),
          domain: flags.domain ?? null,
          ...(flags.locale ? { locale: flags.locale } : {}),
          ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
          secrets: { webhookSecret: flags.webhookSecret ?? null, credentials },
        },
        runtime.clock.now(),
      );
      if (flags.writeBack)
        await runtime.storage.repositories.writeBacks.setWriteBackEnabled(created.id, true, runtime.clock.now());
      // The store exists from here on, whatever the platform answers.
      const webhookRegistration = await registerWebhooksReporting(runtime, created);
      printJson({
        id: created.id,
        slug: created.slug,
        platform: created.platform,
        webhookUrl: WEBHOOK_PLATFORMS.has(created.platform)
          ? `${publicUrl(runtime)}/webhooks/${created.platform}/${created.id}`
          : null,
        writeBack: flags.writeBack === true,
        webhookRegistration,
      });
    });
  });

  withCommonOptions(
    store
      .command('webhooks')
      .description(
        '(re-)register the store\'s webhooks on its platform; prints {"id","platform","webhookRegistration"}',
      )
      .option('--store <idOrSlug>', 'the store'),
  ).action((flags: { store?: string }) => {
    const storeRef = flags.store;
    if (!storeRef) throw new UsageError('--store is required (id or slug; see `waymark store list`)');
    return withRuntime(flags, async (runtime) => {
      const target = await findStoreByIdOrSlug(runtime, storeRef);
      const webhookRegistration = await registerWebhooksReporting(runtime, target);
      printJson({ id: target.id, platform: target.platform, webhookRegistration });
      if (webhookRegistration.status === 'failed') process.exitCode = 1;
    });
  });

  withCommonOptions(
    store
      .command('write-back')
      .description('switch write-back (carrier milestones posted to the platform) on or off; prints {"id","writeBack"}')
      .option('--store <idOrSlug>', 'the store')
      .option('--off', 'switch it off (default: on)'),
  ).action((flags: { store?: string; off?: boolean }) => {
    const storeRef = flags.store;
    if (!storeRef) throw new UsageError('--store is required (id or slug; see `waymark store list`)');
    return withRuntime(flags, async (runtime) => {
      const target = await findStoreByIdOrSlug(runtime, storeRef);
      if (!WRITE_BACK_PLATFORMS.has(target.platform))
        throw new UsageError(`write-back is available for ${[...WRITE_BACK_PLATFORMS].join(', ')} stores only`);
      const enabled = flags.off !== true;
      await runtime.storage.repositories.writeBacks.setWriteBackEnabled(target.id, enabled, runtime.clock.now());
      printJson({ id: target.id, writeBack: enabled });
    });
  });

  withCommonOptions(store.command('list').description('print every store as a JSON array')).action(
    (flags: Record<string, unknown>) =>
      withRuntime(flags, async (runtime) => {
        const stores = await runtime.storage.repositories.stores.listStores();
        printJson(
          stores.map((s) => ({
            id: s.id,
            slug: s.slug,
            name: s.name,
            platform: s.platform,
            domain: s.domain,
            locale: s.locale,
            timeZone: s.timeZone,
            enabled: s.isEnabled,
            createdAt: s.createdAt,
          })),
        );
      }),
  );

  const apikey = program.command('apikey').description('manage API keys');
  withCommonOptions(
    apikey
      .command('create')
      .description('create an API key for a store; prints {"key"} once (only a hash is stored)')
      .option('--store <idOrSlug>', 'the store the key acts for')
      .option('--name <name>', 'a label to tell keys apart'),
  ).action((flags: { store?: string; name?: string }) => {
    const storeRef = flags.store;
    if (!storeRef) throw new UsageError('--store is required (id or slug; see `waymark store list`)');
    return withRuntime(flags, async (runtime) => {
      const target = await findStoreByIdOrSlug(runtime, storeRef);
      const created = await runtime.storage.repositories.apiKeys.createApiKey(
        target.id,
        flags.name ?? null,
        runtime.clock.now(),
      );
      printJson({ key: created.key, id: created.id, prefix: created.prefix, storeId: target.id });
    });
  });

  const user = program.command('user').description('manage dashboard users');
  withCommonOptions(
    user
      .command('add')
      .description('create a dashboard user; prints {"id","email"}')
      .option('--email <email>', 'login email')
      .option('--password <password>', 'password (at least 10 characters); or --password-stdin')
      .option('--password-stdin', 'read the password from the first line of stdin')
      .option('--store <idOrSlug...>', 'give access to these stores')
      .option('--role <role>', 'owner or staff (default owner)'),
  ).action(
    async (flags: { email?: string; password?: string; passwordStdin?: boolean; store?: string[]; role?: string }) => {
      const email = flags.email;
      if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError('--email must be an email address');
      let password = flags.password;
      if (flags.passwordStdin) password = (await readFirstLine(process.stdin)) ?? '';
      if (!password || password.length < 10) throw new UsageError('--password must be at least 10 characters');
      const role = flags.role ?? UserRole.Owner;
      if (role !== UserRole.Owner && role !== UserRole.Staff) throw new UsageError('--role must be owner or staff');
      const passwordHash = await hashPassword(password);
      return withRuntime(flags, async (runtime) => {
        const targets = await Promise.all((flags.store ?? []).map((s) => findStoreByIdOrSlug(runtime, s)));
        const now = runtime.clock.now();
        const created = await runtime.storage.repositories.users.createUser(email, passwordHash, now);
        for (const target of targets)
          await runtime.storage.repositories.users.grantStoreAccess(created.id, target.id, role, now);
        printJson({ id: created.id, email: created.email, stores: targets.map((t) => t.id), role });
      });
    },
  );

  withCommonOptions(
    program.command('migrate').description('bring the database schema up to date (start does this too)'),
  ).action((flags: Record<string, unknown>) =>
    withRuntime(
      flags,
      async (runtime) => {
        const applied = await runtime.storage.migrate();
        printJson({ applied, current: runtime.storage.knownMigrations().at(-1) ?? null });
      },
      { migrate: false },
    ),
  );
}

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: stream });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}
