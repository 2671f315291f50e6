import type { CarrierClient } from './carrier.port.js';

/**
 * A carrier's credential fields by the names its client takes
 * (`clientId`/`clientSecret` for UPS, FedEx and USPS; `apiKey` for DHL).
 */
export type CarrierCredentials = Readonly<Record<string, string>>;

/** What listing a store's carrier accounts shows: never a secret, only which fields hold one. */
export type CarrierAccountSummary = {
  id: string;
  storeId: string;
  carrier: string;
  /** Names of the credential fields that hold a value, sorted. */
  fieldsSet: string[];
  /** False when the sealed credentials do not open with the current WAYMARK_SECRET_KEY: re-enter them. */
  credentialsReadable: boolean;
  isEnabled: boolean;
  /** This credential's calls per second across every worker; null: the instance default for the carrier. */
  ratePerSecond: number | null;
  createdAt: string;
  updatedAt: string;
};

/** One account with its credentials opened: for building its client, never for display. */
export type CarrierAccount = Omit<CarrierAccountSummary, 'fieldsSet' | 'credentialsReadable'> & {
  credentials: CarrierCredentials;
};

export type CarrierAccountInput = {
  credentials: CarrierCredentials;
  /** Omitted: keep the stored value (null for a new account). */
  ratePerSecond?: number | null;
  /** Omitted: keep the stored value (enabled for a new account). */
  isEnabled?: boolean;
};

/**
 * A store's own carrier credentials, at most one account per store and
 * carrier, sealed at rest. Implemented by `storage/`.
 *
 * @example
 * await accounts.upsertCarrierAccount(storeId, 'ups', { credentials: { clientId, clientSecret } }, now);
 * await accounts.listCarrierAccounts(storeId); // [{ carrier: 'ups', fieldsSet: ['clientId', 'clientSecret'], … }]
 */
export interface CarrierAccountStore {
  /** Creates the store's account for the carrier, or replaces the credentials of the one it has. */
  upsertCarrierAccount(
    storeId: string,
    carrier: string,
    input: CarrierAccountInput,
    now: string,
  ): Promise<CarrierAccountSummary>;
  listCarrierAccounts(storeId: string): Promise<CarrierAccountSummary[]>;
  /** The account with its credentials opened; throws `secret_key_mismatch` when they do not open. */
  findCarrierAccount(storeId: string, carrier: string): Promise<CarrierAccount | undefined>;
  /** False when the store has no account for the carrier. */
  setCarrierAccountEnabled(storeId: string, carrier: string, enabled: boolean, now: string): Promise<boolean>;
  setCarrierAccountRateLimit(
    storeId: string,
    carrier: string,
    ratePerSecond: number | null,
    now: string,
  ): Promise<boolean>;
  deleteCarrierAccount(storeId: string, carrier: string): Promise<boolean>;
  /**
   * Shipments of the store and carrier parked for want of credentials become due
   * now, so new credentials take effect at once rather than at the next 6-hourly
   * retry. Returns how many were woken.
   */
  wakeShipmentsAwaitingCredentials(storeId: string, carrier: string, now: string): Promise<number>;
}

/**
 * Which credential a client calls with: `env` for the instance-wide one from
 * the environment, otherwise the store account's id. Rate budgets, caches and
 * batches are kept per credential.
 */
export type CredentialRef = 'env' | (string & {});

/**
 * Builds a carrier's API client for one credential, with its own token
 * cache, circuit breaker and rate limiter. Null for a carrier Waymark has no
 * client for. Implemented in the composition root.
 */
export type CarrierClientFactory = (
  carrier: string,
  credentials: CarrierCredentials,
  options: { credential: CredentialRef; ratePerSecond?: number | null },
) => CarrierClient | null;

/** The client to track a store's shipments of one carrier with, or why there is none. */
export type CarrierClientChoice =
  { kind: 'client'; client: CarrierClient; credential: CredentialRef } | { kind: 'credentials_missing' };

/**
 * Picks, per store and carrier, the store's own enabled account, else the
 * instance-wide credential; clients are built once per credential and reused.
 */
export interface CarrierClientResolver {
  clientFor(storeId: string, carrier: string): Promise<CarrierClientChoice>;
}
