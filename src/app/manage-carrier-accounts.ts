import { z } from 'zod';

import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';
import type {
  CarrierAccountStore,
  CarrierAccountSummary,
  CarrierClientChoice,
  CarrierClientFactory,
  CarrierClientResolver,
  CarrierCredentials,
} from '../core/ports/carrier-account.port.js';
import type { CarrierClient, CarrierRegistry } from '../core/ports/carrier.port.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { StoreStore } from '../core/ports/storage.port.js';
import type { TrackingOutcome } from '../core/tracking/tracking-result.js';

const credentialValue = z.string().trim().min(1, 'must not be empty').max(1024, 'is longer than 1024 characters');
const oauthClientCredentials = z.strictObject({ clientId: credentialValue, clientSecret: credentialValue });

/**
 * What each carrier's client takes, by the names the clients and the
 * environment use: UPS, FedEx and USPS are OAuth client credentials
 * (`WAYMARK_<CARRIER>_CLIENT_ID` / `_CLIENT_SECRET`; FedEx calls them API key
 * and secret key, USPS consumer key and secret), DHL an API key
 * (`WAYMARK_DHL_API_KEY`).
 */
export const CARRIER_CREDENTIAL_SCHEMAS = {
  ups: oauthClientCredentials,
  fedex: oauthClientCredentials,
  usps: oauthClientCredentials,
  dhl: z.strictObject({ apiKey: credentialValue }),
} as const;

/** The carriers a store can bring its own account for. */
export type AccountCarrier = keyof typeof CARRIER_CREDENTIAL_SCHEMAS;
export const ACCOUNT_CARRIERS = Object.keys(CARRIER_CREDENTIAL_SCHEMAS) as AccountCarrier[];

/** The credential fields per carrier, for forms and `--help`. */
export const CARRIER_ACCOUNT_FIELDS: Readonly<Record<AccountCarrier, readonly string[]>> = Object.freeze(
  Object.fromEntries(
    Object.entries(CARRIER_CREDENTIAL_SCHEMAS).map(([carrier, schema]) => [carrier, Object.keys(schema.shape)]),
  ) as Record<AccountCarrier, string[]>,
);

export function isAccountCarrier(value: string): value is AccountCarrier {
  return Object.hasOwn(CARRIER_CREDENTIAL_SCHEMAS, value);
}

function accountCarrier(carrier: string): AccountCarrier {
  if (!isAccountCarrier(carrier)) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `carrier must be one of ${ACCOUNT_CARRIERS.join(', ')} (got "${carrier}")`,
    );
  }
  return carrier;
}

function validatedCredentials(carrier: AccountCarrier, credentials: Record<string, string>): CarrierCredentials {
  const parsed = CARRIER_CREDENTIAL_SCHEMAS[carrier].safeParse(credentials);
  if (parsed.success) return parsed.data;
  const fields = CARRIER_ACCOUNT_FIELDS[carrier].join(', ');
  const issue = parsed.error.issues[0];
  const message =
    issue?.code === 'unrecognized_keys'
      ? `${carrier} takes ${fields}; unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`
      : issue && credentials[String(issue.path[0])] === undefined
        ? `${carrier} needs ${fields}; ${String(issue.path[0])} is missing`
        : `${carrier} ${String(issue?.path[0] ?? 'credentials')} ${issue?.message ?? 'is invalid'}`;
  throw new DomainError(ErrorCode.InvalidInput, message, { details: { carrier, fields } });
}

function validatedRate(ratePerSecond: number | null | undefined): number | null | undefined {
  if (ratePerSecond === undefined || ratePerSecond === null) return ratePerSecond;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `ratePerSecond must be a positive number of calls a second (got ${ratePerSecond}; 60 an hour is ${60 / 3600})`,
    );
  }
  return ratePerSecond;
}

async function requireStore(stores: Pick<StoreStore, 'findStoreById'>, storeId: string): Promise<void> {
  if (!(await stores.findStoreById(storeId))) throw new DomainError(ErrorCode.NotFound, 'store not found');
}

function accountNotFound(carrier: string): DomainError {
  return new DomainError(ErrorCode.NotFound, `this store has no ${carrier} account`);
}

export type CarrierAccountDeps = {
  clock: Clock;
  accounts: CarrierAccountStore;
  stores: Pick<StoreStore, 'findStoreById'>;
};

/**
 * Sets the store's own account for a carrier. Fields not given keep their
 * stored value, so a secret can be rotated alone; the merged set must be
 * complete for the carrier.
 *
 * @example
 * await setCarrierAccount(deps, storeId, { carrier: 'ups', credentials: { clientId, clientSecret } });
 * await setCarrierAccount(deps, storeId, { carrier: 'ups', credentials: { clientSecret: rotated } });
 */
export async function setCarrierAccount(
  deps: CarrierAccountDeps,
  storeId: string,
  input: {
    carrier: string;
    credentials: Record<string, string>;
    ratePerSecond?: number | null;
    isEnabled?: boolean;
  },
): Promise<CarrierAccountSummary> {
  const carrier = accountCarrier(input.carrier);
  const ratePerSecond = validatedRate(input.ratePerSecond);
  await requireStore(deps.stores, storeId);
  const stored = await storedCredentials(deps.accounts, storeId, carrier);
  const credentials = validatedCredentials(carrier, { ...stored, ...input.credentials });
  const now = deps.clock.now();
  const summary = await deps.accounts.upsertCarrierAccount(
    storeId,
    carrier,
    {
      credentials,
      ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
      ...(input.isEnabled !== undefined ? { isEnabled: input.isEnabled } : {}),
    },
    now,
  );
  if (summary.isEnabled) await deps.accounts.wakeShipmentsAwaitingCredentials(storeId, carrier, now);
  return summary;
}

/** Credentials that no longer open (the secret key changed) count as absent: they must be entered again in full. */
async function storedCredentials(
  accounts: CarrierAccountStore,
  storeId: string,
  carrier: string,
): Promise<CarrierCredentials> {
  try {
    return (await accounts.findCarrierAccount(storeId, carrier))?.credentials ?? {};
  } catch (error) {
    if (isDomainError(error) && error.code === ErrorCode.SecretKeyMismatch) return {};
    throw error;
  }
}

/** The store's accounts: which fields are set, never their values. */
export async function listCarrierAccounts(
  deps: Pick<CarrierAccountDeps, 'accounts' | 'stores'>,
  storeId: string,
): Promise<CarrierAccountSummary[]> {
  await requireStore(deps.stores, storeId);
  return deps.accounts.listCarrierAccounts(storeId);
}

/** Removes the store's account; its shipments fall back to the instance-wide credential, if any. */
export async function removeCarrierAccount(
  deps: Pick<CarrierAccountDeps, 'accounts'>,
  storeId: string,
  carrier: string,
): Promise<void> {
  if (!(await deps.accounts.deleteCarrierAccount(storeId, accountCarrier(carrier)))) throw accountNotFound(carrier);
}

/** A disabled account is kept but not used: its shipments fall back to the instance-wide credential, if any. */
export async function setCarrierAccountEnabled(
  deps: Pick<CarrierAccountDeps, 'accounts' | 'clock'>,
  storeId: string,
  carrier: string,
  enabled: boolean,
): Promise<void> {
  const now = deps.clock.now();
  const code = accountCarrier(carrier);
  const changed = await deps.accounts.setCarrierAccountEnabled(storeId, code, enabled, now);
  if (!changed) throw accountNotFound(carrier);
  if (enabled) await deps.accounts.wakeShipmentsAwaitingCredentials(storeId, code, now);
}

/** Null goes back to the instance default for the carrier. */
export async function setCarrierAccountRateLimit(
  deps: Pick<CarrierAccountDeps, 'accounts' | 'clock'>,
  storeId: string,
  carrier: string,
  ratePerSecond: number | null,
): Promise<void> {
  const changed = await deps.accounts.setCarrierAccountRateLimit(
    storeId,
    accountCarrier(carrier),
    validatedRate(ratePerSecond) ?? null,
    deps.clock.now(),
  );
  if (!changed) throw accountNotFound(carrier);
}

/**
 * Numbers no parcel carries but each client accepts as well-formed, so the
 * probe really reaches the carrier: any answer (found, not found, invalid)
 * proves the credentials were accepted.
 */
const PROBE_NUMBERS: Readonly<Record<AccountCarrier, string>> = {
  ups: '1Z0000000000000000',
  fedex: '000000000000',
  usps: '9400100000000000000000',
  dhl: '0000000000',
};

export type CarrierAccountTestResult =
  | { ok: true; carrier: string; checkedAt: string; answer: TrackingOutcome['kind'] }
  | { ok: false; carrier: string; checkedAt: string; code: ErrorCode; message: string };

/**
 * Checks the store's stored credentials with one real, cheap call (a token
 * and one tracking request for a number no parcel has) and reports ok or the
 * classified failure (`upstream_auth_failed`, `upstream_unavailable`,
 * `upstream_rate_limited`, `secret_key_mismatch`…). Pass a factory without
 * the shared rate budget, so a click never waits for the next budget window
 * (DHL's is six minutes).
 */
export async function testCarrierAccount(
  deps: { clock: Clock; accounts: Pick<CarrierAccountStore, 'findCarrierAccount'>; buildClient: CarrierClientFactory },
  storeId: string,
  carrierInput: string,
): Promise<CarrierAccountTestResult> {
  const carrier = accountCarrier(carrierInput);
  const failed = (error: unknown): CarrierAccountTestResult => {
    if (!isDomainError(error)) throw error;
    return { ok: false, carrier, checkedAt: deps.clock.now(), code: error.code, message: error.message };
  };
  let account;
  try {
    account = await deps.accounts.findCarrierAccount(storeId, carrier);
  } catch (error) {
    return failed(error);
  }
  if (!account) throw accountNotFound(carrier);
  let client: CarrierClient | null;
  try {
    client = deps.buildClient(carrier, account.credentials, { credential: account.id, ratePerSecond: null });
  } catch (error) {
    return failed(error);
  }
  if (!client) {
    return failed(new DomainError(ErrorCode.ConfigInvalid, `this instance has no ${carrier} client`));
  }
  const probe = PROBE_NUMBERS[carrier];
  try {
    const outcomes = await client.track([probe]);
    const outcome = outcomes.get(probe) ?? [...outcomes.values()][0];
    return { ok: true, carrier, checkedAt: deps.clock.now(), answer: outcome?.kind ?? 'not_found_yet' };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Chooses the credential per store and carrier: the store's own enabled
 * account, else the instance-wide client, else none. Clients of store
 * accounts are built once and kept while the account's `updatedAt` stays the
 * same, so their token cache, breaker and limiter live across refreshes and a
 * changed secret takes effect on the next one.
 */
export function createCarrierClientResolver(deps: {
  accounts: Pick<CarrierAccountStore, 'findCarrierAccount'>;
  buildClient: CarrierClientFactory;
  instanceWide: CarrierRegistry;
}): CarrierClientResolver {
  const built = new Map<string, { version: string; client: CarrierClient }>();
  return {
    async clientFor(storeId: string, carrier: string): Promise<CarrierClientChoice> {
      const account = isAccountCarrier(carrier) ? await deps.accounts.findCarrierAccount(storeId, carrier) : undefined;
      if (account?.isEnabled) {
        const cached = built.get(account.id);
        if (cached?.version === account.updatedAt)
          return { kind: 'client', client: cached.client, credential: account.id };
        const client = deps.buildClient(carrier, account.credentials, {
          credential: account.id,
          ratePerSecond: account.ratePerSecond,
        });
        if (client) {
          built.set(account.id, { version: account.updatedAt, client });
          return { kind: 'client', client, credential: account.id };
        }
      }
      const instanceWide = deps.instanceWide.get(carrier);
      return instanceWide
        ? { kind: 'client', client: instanceWide, credential: 'env' }
        : { kind: 'credentials_missing' };
    },
  };
}
