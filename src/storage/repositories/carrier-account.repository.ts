import type { Kysely, Selectable } from 'kysely';

import { isDomainError, ErrorCode } from '../../core/errors.js';
import type {
  CarrierAccount,
  CarrierAccountInput,
  CarrierAccountStore,
  CarrierAccountSummary,
  CarrierCredentials,
} from '../../core/ports/carrier-account.port.js';
import type { CarrierAccountTable, Database } from '../database.js';
import { newId } from '../ids.js';
import { fromFlag, toFlag } from '../json.js';
import type { SecretBox } from '../secret-box.js';

type CarrierAccountRow = Selectable<CarrierAccountTable>;

function boundTo(id: string): string {
  return `carrier_account:${id}`;
}

/** Never equal to the previous value, even within one millisecond: client caches key on it. */
function laterThan(previous: string, now: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

/** Stores' own carrier credentials, sealed at rest; one account per store and carrier (unique index). */
export class CarrierAccountRepository implements CarrierAccountStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async upsertCarrierAccount(
    storeId: string,
    carrier: string,
    input: CarrierAccountInput,
    now: string,
  ): Promise<CarrierAccountSummary> {
    const existing = await this.#findRow(storeId, carrier);
    if (existing) return this.#replace(existing, input, now);
    const id = newId();
    const inserted = await this.db
      .insertInto('carrier_account')
      .values({
        id,
        store_id: storeId,
        carrier,
        credentials_sealed: this.secretBox.sealJson(input.credentials, boundTo(id)),
        rate_limit_per_second: input.ratePerSecond ?? null,
        is_enabled: toFlag(input.isEnabled ?? true),
        created_at: now,
        updated_at: now,
      })
      // Another writer created the account since we looked: update theirs (sealed under its own id) instead.
      .onConflict((oc) => oc.columns(['store_id', 'carrier']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return this.#summary(inserted);
    const winner = await this.#findRow(storeId, carrier);
    if (!winner) throw new Error(`carrier account for ${carrier} vanished during upsert`);
    return this.#replace(winner, input, now);
  }

  async listCarrierAccounts(storeId: string): Promise<CarrierAccountSummary[]> {
    const rows = await this.db
      .selectFrom('carrier_account')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('carrier')
      .execute();
    return rows.map((row) => this.#summary(row));
  }

  async findCarrierAccount(storeId: string, carrier: string): Promise<CarrierAccount | undefined> {
    const row = await this.#findRow(storeId, carrier);
    if (!row) return undefined;
    return {
      ...this.#plainFields(row),
      credentials: this.secretBox.openJson<CarrierCredentials>(row.credentials_sealed, boundTo(row.id)),
    };
  }

  setCarrierAccountEnabled(storeId: string, carrier: string, enabled: boolean, now: string): Promise<boolean> {
    return this.#change(storeId, carrier, { is_enabled: toFlag(enabled) }, now);
  }

  setCarrierAccountRateLimit(
    storeId: string,
    carrier: string,
    ratePerSecond: number | null,
    now: string,
  ): Promise<boolean> {
    return this.#change(storeId, carrier, { rate_limit_per_second: ratePerSecond }, now);
  }

  async wakeShipmentsAwaitingCredentials(storeId: string, carrier: string, now: string): Promise<number> {
    const result = await this.db
      .updateTable('shipment')
      .set({ tracker_state: 'active', next_check_at: now, updated_at: now })
      .where('store_id', '=', storeId)
      .where('carrier', '=', carrier)
      .where('tracker_state', '=', 'error_carrier_auth')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteCarrierAccount(storeId: string, carrier: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('carrier_account')
      .where('store_id', '=', storeId)
      .where('carrier', '=', carrier)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  #findRow(storeId: string, carrier: string): Promise<CarrierAccountRow | undefined> {
    return this.db
      .selectFrom('carrier_account')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('carrier', '=', carrier)
      .executeTakeFirst();
  }

  async #change(
    storeId: string,
    carrier: string,
    changes: { is_enabled?: number; rate_limit_per_second?: number | null },
    now: string,
  ): Promise<boolean> {
    const row = await this.#findRow(storeId, carrier);
    if (!row) return false;
    const result = await this.db
      .updateTable('carrier_account')
      .set({ ...changes, updated_at: laterThan(row.updated_at, now) })
      .where('id', '=', row.id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #replace(row: CarrierAccountRow, input: CarrierAccountInput, now: string): Promise<CarrierAccountSummary> {
    const updated = await this.db
      .updateTable('carrier_account')
      .set({
        credentials_sealed: this.secretBox.sealJson(input.credentials, boundTo(row.id)),
        ...(input.ratePerSecond !== undefined ? { rate_limit_per_second: input.ratePerSecond } : {}),
        ...(input.isEnabled !== undefined ? { is_enabled: toFlag(input.isEnabled) } : {}),
        updated_at: laterThan(row.updated_at, now),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.#summary(updated);
  }

  #plainFields(row: CarrierAccountRow): Omit<CarrierAccountSummary, 'fieldsSet' | 'credentialsReadable'> {
    return {
      id: row.id,
      storeId: row.store_id ?? '',
      carrier: row.carrier,
      isEnabled: fromFlag(row.is_enabled),
      ratePerSecond: row.rate_limit_per_second === null ? null : Number(row.rate_limit_per_second),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Opens the credentials only to name the fields that hold a value; the values never leave. */
  #summary(row: CarrierAccountRow): CarrierAccountSummary {
    let fieldsSet: string[] = [];
    let credentialsReadable = true;
    try {
      const credentials = this.secretBox.openJson<CarrierCredentials>(row.credentials_sealed, boundTo(row.id));
      fieldsSet = Object.keys(credentials)
        .filter((field) => typeof credentials[field] === 'string' && credentials[field] !== '')
        .sort();
    } catch (error) {
      if (!isDomainError(error) || error.code !== ErrorCode.SecretKeyMismatch) throw error;
      credentialsReadable = false;
    }
    return { ...this.#plainFields(row), fieldsSet, credentialsReadable };
  }
}
