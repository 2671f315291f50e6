import type { Command } from 'commander';

import {
  ACCOUNT_CARRIERS,
  CARRIER_ACCOUNT_FIELDS,
  isAccountCarrier,
  listCarrierAccounts,
  removeCarrierAccount,
  setCarrierAccount,
  testCarrierAccount,
  type AccountCarrier,
} from '../../app/manage-carrier-accounts.js';
import { normaliseCarrierName } from '../../core/detection/index.js';
import { ErrorCode, isDomainError } from '../../core/errors.js';
import type { Store } from '../../core/store/store.js';
import { createCarrierClientFactory } from '../carriers.js';
import type { Runtime } from '../runtime.js';
import { UsageError } from '../usage-error.js';
import { printJson, withCommonOptions, withRuntime } from './common.js';

const FIELDS_HELP = ACCOUNT_CARRIERS.map(
  (carrier) => `  ${carrier.padEnd(6)} ${CARRIER_ACCOUNT_FIELDS[carrier].join(', ')}`,
).join('\n');

type CarrierFlags = { store?: string; carrier?: string };

function requiredStore(flags: CarrierFlags): string {
  if (!flags.store) throw new UsageError('--store is required (id or slug; see `waymark store list`)');
  return flags.store;
}

/** `UPS`, `ups`, `United Parcel Service` → `ups`; only carriers that take a store account. */
export function requiredAccountCarrier(value: string | undefined): AccountCarrier {
  if (!value) throw new UsageError(`--carrier is required (${ACCOUNT_CARRIERS.join(', ')})`);
  const carrier = normaliseCarrierName(value) ?? value.toLowerCase();
  if (!isAccountCarrier(carrier)) {
    throw new UsageError(`--carrier must be one of ${ACCOUNT_CARRIERS.join(', ')} (got "${value}")`);
  }
  return carrier;
}

export async function findStoreByIdOrSlug(runtime: Runtime, idOrSlug: string): Promise<Store> {
  const stores = runtime.storage.repositories.stores;
  const store = /^[0-9a-f-]{36}$/i.test(idOrSlug)
    ? await stores.findStoreById(idOrSlug)
    : await stores.findStoreBySlug(idOrSlug);
  if (!store) throw new UsageError(`no store with id or slug "${idOrSlug}" (see \`waymark store list\`)`);
  return store;
}

/** The use cases' refusals of what was typed (bad field, missing field, no such account) are usage errors here. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error) && (error.code === ErrorCode.InvalidInput || error.code === ErrorCode.NotFound)) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

function parseFieldPairs(carrier: AccountCarrier, pairs: readonly string[], origin: string): Record<string, string> {
  const known = CARRIER_ACCOUNT_FIELDS[carrier];
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new UsageError(`${origin} must be NAME=VALUE (got "${pair.length > 40 ? `${pair.slice(0, 40)}…` : pair}")`);
    const name = pair.slice(0, at).trim();
    if (!known.includes(name)) {
      throw new UsageError(`${carrier} takes ${known.join(', ')} (got ${origin} "${name}")`);
    }
    fields[name] = pair.slice(at + 1);
  }
  return fields;
}

function parseRate(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'default') return null;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new UsageError(`--rate-per-second must be a positive number or "default" (got "${value}")`);
  }
  return rate;
}

async function readStdinLines(): Promise<string[]> {
  if (process.stdin.isTTY) throw new UsageError('--fields-stdin reads NAME=VALUE lines from stdin; pipe them in');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

export function registerCarrierCommands(program: Command): void {
  const carrier = program
    .command('carrier')
    .description("manage a store's own carrier accounts (credentials used before the instance-wide ones)");

  withCommonOptions(
    carrier
      .command('set')
      .description("create or update a store's account for a carrier; prints the account without secrets")
      .option('--store <idOrSlug>', 'the store the account belongs to')
      .option('--carrier <carrier>', `one of ${ACCOUNT_CARRIERS.join(', ')}`)
      .option('--field <name=value...>', 'a credential field, repeatable (names below)')
      .option('--fields-stdin', 'read NAME=VALUE lines from stdin, keeping secrets out of the shell history')
      .option('--rate-per-second <n>', 'calls per second for this account across all workers, or "default"')
      .option('--disable', 'keep the account but stop using it (shipments fall back to the instance-wide account)')
      .option('--enable', 'use the account again')
      .addHelpText(
        'after',
        `
Fields per carrier (the names the environment uses: WAYMARK_UPS_CLIENT_ID → clientId):
${FIELDS_HELP}
Fields left out keep their stored value, so one secret can be rotated alone:
  waymark carrier set --store blue-lamps --carrier ups --field clientId=ID --field clientSecret=SECRET
  printf 'clientSecret=NEW\\n' | waymark carrier set --store blue-lamps --carrier ups --fields-stdin
Prints {"id","storeId","carrier","fieldsSet","credentialsReadable","isEnabled","ratePerSecond","createdAt","updatedAt"}.`,
      ),
  ).action(
    async (
      flags: CarrierFlags & {
        field?: string[];
        fieldsStdin?: boolean;
        ratePerSecond?: string;
        disable?: boolean;
        enable?: boolean;
      },
    ) => {
      const storeRef = requiredStore(flags);
      const carrierCode = requiredAccountCarrier(flags.carrier);
      if (flags.disable && flags.enable) throw new UsageError('give --enable or --disable, not both');
      const ratePerSecond = parseRate(flags.ratePerSecond);
      const credentials = {
        ...parseFieldPairs(carrierCode, flags.fieldsStdin ? await readStdinLines() : [], 'a stdin line'),
        ...parseFieldPairs(carrierCode, flags.field ?? [], '--field'),
      };
      const isEnabled = flags.disable ? false : flags.enable ? true : undefined;
      return withRuntime(flags, async (runtime) => {
        const store = await findStoreByIdOrSlug(runtime, storeRef);
        const repositories = runtime.storage.repositories;
        const account = await asUsage(() =>
          setCarrierAccount(
            { clock: runtime.clock, accounts: repositories.carrierAccounts, stores: repositories.stores },
            store.id,
            { carrier: carrierCode, credentials, ratePerSecond, isEnabled },
          ),
        );
        printJson(account);
      });
    },
  );

  withCommonOptions(
    carrier
      .command('list')
      .description("print a store's carrier accounts as a JSON array: which fields are set, never their values")
      .option('--store <idOrSlug>', 'the store'),
  ).action((flags: CarrierFlags) => {
    const storeRef = requiredStore(flags);
    return withRuntime(flags, async (runtime) => {
      const store = await findStoreByIdOrSlug(runtime, storeRef);
      const repositories = runtime.storage.repositories;
      printJson(
        await listCarrierAccounts({ accounts: repositories.carrierAccounts, stores: repositories.stores }, store.id),
      );
    });
  });

  withCommonOptions(
    carrier
      .command('remove')
      .description("delete a store's account for a carrier; its shipments fall back to the instance-wide account")
      .option('--store <idOrSlug>', 'the store')
      .option('--carrier <carrier>', `one of ${ACCOUNT_CARRIERS.join(', ')}`),
  ).action((flags: CarrierFlags) => {
    const storeRef = requiredStore(flags);
    const carrierCode = requiredAccountCarrier(flags.carrier);
    return withRuntime(flags, async (runtime) => {
      const store = await findStoreByIdOrSlug(runtime, storeRef);
      await asUsage(() =>
        removeCarrierAccount({ accounts: runtime.storage.repositories.carrierAccounts }, store.id, carrierCode),
      );
      printJson({ removed: true, storeId: store.id, carrier: carrierCode });
    });
  });

  withCommonOptions(
    carrier
      .command('test')
      .description("check a store's stored credentials with one real call to the carrier")
      .option('--store <idOrSlug>', 'the store')
      .option('--carrier <carrier>', `one of ${ACCOUNT_CARRIERS.join(', ')}`)
      .addHelpText(
        'after',
        `
Asks the carrier for a token and one tracking number no parcel has. Prints
{"ok":true,"carrier","checkedAt","answer"} and exits 0 when the carrier accepted the credentials, or
{"ok":false,"carrier","checkedAt","code","message"} and exits 1 (code: upstream_auth_failed,
upstream_unavailable, upstream_rate_limited, secret_key_mismatch…).`,
      ),
  ).action((flags: CarrierFlags) => {
    const storeRef = requiredStore(flags);
    const carrierCode = requiredAccountCarrier(flags.carrier);
    return withRuntime(flags, async (runtime) => {
      const store = await findStoreByIdOrSlug(runtime, storeRef);
      const result = await asUsage(() =>
        testCarrierAccount(
          {
            clock: runtime.clock,
            accounts: runtime.storage.repositories.carrierAccounts,
            buildClient: createCarrierClientFactory(runtime.config, runtime.logger),
          },
          store.id,
          carrierCode,
        ),
      );
      printJson(result);
      if (!result.ok) process.exitCode = 1;
    });
  });
}
