import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { PlatformClient, PlatformRegistry } from '../core/ports/platform.port.js';
import type { Platform, Store, StoreSecrets } from '../core/store/store.js';
import { platformWebhookUrl } from './register-platform-webhooks.js';

/** Where a store and its sealed platform secrets are kept. */
export type StoreConnectionStore = {
  findStoreWithSecrets(id: string): Promise<{ store: Store; secrets: StoreSecrets } | undefined>;
  findStoreById(id: string): Promise<Store | undefined>;
  setStoreSecrets(id: string, secrets: StoreSecrets, now: string): Promise<void>;
};

export type CredentialField = { name: string; required: boolean };

/**
 * The credential keys each platform's connector reads from
 * `StoreSecrets.credentials`, the same names `waymark store add` stores
 * (`--access-token` is `accessToken`…). Optional ones change how the
 * connector calls: Shopify's `shopDomain` when the store is known by a custom
 * domain, BigCommerce's `standardWebhooksSecret` for signed webhooks, Magento's
 * three OAuth 1.0a values of an integration beside its access token.
 */
export const PLATFORM_CREDENTIAL_FIELDS: Readonly<Partial<Record<Platform, readonly CredentialField[]>>> = {
  shopify: [
    { name: 'accessToken', required: true },
    { name: 'shopDomain', required: false },
  ],
  bigcommerce: [
    { name: 'storeHash', required: true },
    { name: 'accessToken', required: true },
    { name: 'standardWebhooksSecret', required: false },
  ],
  woocommerce: [
    { name: 'consumerKey', required: true },
    { name: 'consumerSecret', required: true },
  ],
  magento: [
    { name: 'accessToken', required: true },
    { name: 'consumerKey', required: false },
    { name: 'consumerSecret', required: false },
    { name: 'accessTokenSecret', required: false },
  ],
};

/** `api` and `sandbox` stores have no outside system to reach: their orders are pushed or made up. */
export function isConnectablePlatform(platform: Platform): boolean {
  return PLATFORM_CREDENTIAL_FIELDS[platform] !== undefined;
}

/** What Settings → Connection shows: names of what is set, never a value. */
export type StoreConnection = {
  store: Store;
  connectable: boolean;
  /** False when the sealed secrets do not open with the current WAYMARK_SECRET_KEY: enter them again. */
  secretsReadable: boolean;
  credentialFields: (CredentialField & { isSet: boolean })[];
  /** Other credential keys the store holds (`store add --credential KEY=VALUE`), sorted. */
  otherCredentialsSet: string[];
  webhookSecretSet: boolean;
  /** The secret replaced last, still accepted while the platform catches up. */
  previousWebhookSecretSet: boolean;
  /** Where the platform must POST its webhooks; null for stores that receive none. */
  webhookUrl: string | null;
  /** False when WAYMARK_PUBLIC_URL is unset: the URL shown is this machine's, which a platform cannot reach. */
  publicUrlSet: boolean;
};

export type ConnectionDeps = {
  stores: StoreConnectionStore;
  /** WAYMARK_PUBLIC_URL, when set. */
  publicUrl: string | undefined;
  /** The server's own address, shown when no public URL is set (as `waymark store add` prints it). */
  localUrl: string;
};

async function storeAndSecrets(
  stores: StoreConnectionStore,
  storeId: string,
): Promise<{ store: Store; secrets: StoreSecrets | null }> {
  try {
    const found = await stores.findStoreWithSecrets(storeId);
    if (!found) throw new DomainError(ErrorCode.NotFound, 'store not found');
    return found;
  } catch (error) {
    if (!isDomainError(error) || error.code !== ErrorCode.SecretKeyMismatch) throw error;
    const store = await stores.findStoreById(storeId);
    if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
    return { store, secrets: null };
  }
}

function hasValue(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** The store's platform connection as a settings page shows it. */
export async function describeStoreConnection(deps: ConnectionDeps, storeId: string): Promise<StoreConnection> {
  const { store, secrets } = await storeAndSecrets(deps.stores, storeId);
  const fields = PLATFORM_CREDENTIAL_FIELDS[store.platform] ?? [];
  const credentials = secrets?.credentials ?? {};
  const known = new Set(fields.map((f) => f.name));
  const connectable = isConnectablePlatform(store.platform);
  return {
    store,
    connectable,
    secretsReadable: secrets !== null,
    credentialFields: fields.map((f) => ({ ...f, isSet: hasValue(credentials[f.name]) })),
    otherCredentialsSet: Object.keys(credentials)
      .filter((name) => !known.has(name) && hasValue(credentials[name]))
      .sort(),
    webhookSecretSet: hasValue(secrets?.webhookSecret),
    previousWebhookSecretSet: hasValue(secrets?.previousWebhookSecret),
    webhookUrl: connectable ? platformWebhookUrl(deps.publicUrl ?? deps.localUrl, store.platform, store.id) : null,
    publicUrlSet: deps.publicUrl !== undefined && deps.publicUrl.length > 0,
  };
}

const MAX_SECRET_LENGTH = 2048;

function cleanValue(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length > MAX_SECRET_LENGTH)
    throw new DomainError(ErrorCode.InvalidInput, `${name} is longer than ${MAX_SECRET_LENGTH} characters`);
  if (/\s/.test(trimmed)) throw new DomainError(ErrorCode.InvalidInput, `${name} must not contain spaces`);
  return trimmed;
}

/**
 * Replaces some of the store's platform credentials and, when given, its
 * webhook secret. Fields left out keep their stored value, so one token can be
 * rotated alone. A replaced webhook secret stays accepted as the previous one,
 * so deliveries the platform signed before it was changed there still verify.
 * Secrets that no longer open (another WAYMARK_SECRET_KEY) are started afresh.
 *
 * @example
 * await updateStoreConnectionSecrets(deps, storeId, { credentials: { accessToken: 'shpat_new' } });
 */
export async function updateStoreConnectionSecrets(
  deps: { stores: StoreConnectionStore; clock: Clock },
  storeId: string,
  input: { credentials: Record<string, string>; webhookSecret?: string },
): Promise<{ replaced: string[] }> {
  const { store, secrets } = await storeAndSecrets(deps.stores, storeId);
  const fields = PLATFORM_CREDENTIAL_FIELDS[store.platform];
  if (!fields) {
    throw new DomainError(ErrorCode.InvalidInput, `${store.platform} stores have no platform to connect`);
  }
  const allowed = new Set(fields.map((f) => f.name));
  const credentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.credentials)) {
    if (!allowed.has(name)) {
      throw new DomainError(
        ErrorCode.InvalidInput,
        `${store.platform} takes ${[...allowed].join(', ')}; unknown field ${JSON.stringify(name)}`,
      );
    }
    const cleaned = cleanValue(name, value);
    if (cleaned.length > 0) credentials[name] = cleaned;
  }
  const webhookSecret = cleanValue('webhookSecret', input.webhookSecret ?? '');
  const replaced = [...Object.keys(credentials), ...(webhookSecret ? ['webhookSecret'] : [])];
  if (replaced.length === 0) throw new DomainError(ErrorCode.InvalidInput, 'enter at least one value to replace');

  const current: StoreSecrets = secrets ?? { webhookSecret: null, previousWebhookSecret: null, credentials: {} };
  const rotated = webhookSecret.length > 0 && webhookSecret !== current.webhookSecret;
  await deps.stores.setStoreSecrets(
    store.id,
    {
      credentials: { ...current.credentials, ...credentials },
      webhookSecret: rotated ? webhookSecret : current.webhookSecret,
      previousWebhookSecret: rotated ? current.webhookSecret : current.previousWebhookSecret,
    },
    deps.clock.now(),
  );
  return { replaced };
}

export type ConnectionTestResult =
  | { status: 'ok'; platform: Platform; checkedAt: string }
  /** The platform refused or could not be reached; `code` is the classified error. */
  | { status: 'failed'; platform: Platform; checkedAt: string; code: ErrorCode; message: string }
  /** Nothing was asked of the platform; `reason` says what is missing. */
  | { status: 'skipped'; platform: Platform; checkedAt: string; reason: string };

function missingReason(store: Store, secrets: StoreSecrets): string {
  const missing = (PLATFORM_CREDENTIAL_FIELDS[store.platform] ?? [])
    .filter((f) => f.required && !hasValue(secrets.credentials[f.name]))
    .map((f) => f.name);
  if (missing.length > 0) return `the store has no ${missing.join(', ')}: enter ${missing.length > 1 ? 'them' : 'it'}`;
  if (!store.domain) return `the store has no domain, which Waymark needs to reach ${store.platform}`;
  return 'the stored credentials are incomplete or malformed: enter them again';
}

/**
 * One cheap authenticated call to the store's platform with its stored
 * credentials (`PlatformClient.testConnection`), reported as ok, the
 * classified failure (`upstream_auth_failed`, `upstream_unavailable`,
 * `upstream_rate_limited`, `upstream_invalid_response`, `secret_key_mismatch`),
 * or why nothing was tried. Throws only `not_found` for an unknown store.
 */
export async function testStoreConnection(
  deps: { stores: StoreConnectionStore; platforms: PlatformRegistry; clock: Clock },
  storeId: string,
): Promise<ConnectionTestResult> {
  const { store, secrets } = await storeAndSecrets(deps.stores, storeId);
  const platform = store.platform;
  const failed = (error: unknown): ConnectionTestResult => {
    if (!isDomainError(error)) throw error;
    return { status: 'failed', platform, checkedAt: deps.clock.now(), code: error.code, message: error.message };
  };
  const skipped = (reason: string): ConnectionTestResult => ({
    status: 'skipped',
    platform,
    checkedAt: deps.clock.now(),
    reason,
  });
  if (!isConnectablePlatform(platform)) return skipped(`${platform} stores have no platform to connect`);
  if (!secrets) {
    return failed(
      new DomainError(ErrorCode.SecretKeyMismatch, 'the stored secrets do not open with this WAYMARK_SECRET_KEY'),
    );
  }
  const connector = deps.platforms.get(platform);
  if (!connector) return skipped(`this server has no ${platform} connector`);
  let client: PlatformClient | null;
  try {
    client = connector.createClient(store, secrets);
  } catch (error) {
    return failed(error);
  }
  if (!client) return skipped(missingReason(store, secrets));
  try {
    await client.testConnection();
    return { status: 'ok', platform, checkedAt: deps.clock.now() };
  } catch (error) {
    return failed(error);
  }
}
