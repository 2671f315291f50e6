import { randomBytes } from 'node:crypto';

import type { NewShipment, NewTrackingEvent, OrderFields } from '../core/ports/storage.port.js';
import type { Store } from '../core/store/store.js';
import { SecretBox } from '../storage/secret-box.js';
import { Storage } from '../storage/storage.js';
import type { DialectName } from '../storage/migrations/column-types.js';
import type { NewStore } from '../storage/repositories/store.repository.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const FIXED_NOW = '2026-11-26T12:00:00.000Z';

/** A clock tests move by hand. */
export class ManualClock {
  constructor(private current: string = FIXED_NOW) {}
  now(): string {
    return this.current;
  }
  set(instant: string): void {
    this.current = instant;
  }
  advance(ms: number): string {
    this.current = new Date(Date.parse(this.current) + ms).toISOString();
    return this.current;
  }
}

export type TestStorage = { storage: Storage; database: TestDatabase; secretBox: SecretBox; drop(): Promise<void> };

/** A migrated, empty database of the dialect, wrapped in the real storage layer. */
export async function createTestStorage(dialect: DialectName): Promise<TestStorage> {
  const database = await createTestDatabase(dialect);
  const secretBox = new SecretBox(randomBytes(32));
  const storage = Storage.fromDatabase(database.db, database.dialect, secretBox);
  return { storage, database, secretBox, drop: () => database.drop() };
}

export async function seedStore(storage: Storage, overrides: Partial<NewStore> = {}): Promise<Store> {
  return storage.repositories.stores.createStore({ name: 'Test Shop', platform: 'api', ...overrides }, FIXED_NOW);
}

let orderCounter = 1000;

export function orderFields(overrides: Partial<OrderFields> = {}): OrderFields {
  orderCounter += 1;
  return {
    externalId: `ext-${orderCounter}`,
    number: `#${orderCounter}`,
    orderStatus: 'processing',
    financialStatus: 'paid',
    platformStatus: { status: 'processing' },
    cancelReason: null,
    customer: { email: `buyer${orderCounter}@example.com`, name: 'Ada Buyer', phone: null, language: 'en' },
    shippingAddress: { city: 'Lyon', region: null, postalCode: '69001', country: 'FR' },
    lineItems: [{ externalId: '1', sku: 'SKU-1', name: 'Lamp', quantity: 1 }],
    promisedDeliveryDate: null,
    placedAt: FIXED_NOW,
    platformUpdatedAt: FIXED_NOW,
    shippingSummary: 'not_shipped',
    ...overrides,
  };
}

/** A parcel of `orderId` as a fulfilment gives it: carrier named, tracked, shipped at FIXED_NOW. */
export function shipmentFields(
  orderId: string,
  trackingNumber: string,
  overrides: Partial<NewShipment> = {},
): NewShipment {
  return {
    orderId,
    externalId: null,
    carrier: 'ups',
    carrierConfidence: 'given',
    trackingNumber,
    service: null,
    trackerState: 'active',
    shippedAt: FIXED_NOW,
    nextCheckAt: null,
    ...overrides,
  };
}

/** A carrier event as the record-tracking path takes it; `dedupeKey` defaults to something unique. */
export function carrierEvent(
  overrides: Partial<NewTrackingEvent> & Pick<NewTrackingEvent, 'occurredAt' | 'status' | 'substatus'>,
): NewTrackingEvent {
  return {
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    reason: null,
    description: overrides.substatus.replace(/_/g, ' '),
    location: { city: 'Lyon', region: null, postalCode: null, country: 'FR' },
    rawCode: overrides.substatus.slice(0, 3).toUpperCase(),
    rawStatus: null,
    source: 'carrier_api',
    dedupeKey: `test:${overrides.occurredAt}:${overrides.substatus}`,
    ...overrides,
  };
}
