import type { TrackerState } from '../shipment/shipping-status.js';
import type { CarrierDetails, NewTrackingEvent } from './storage.port.js';

/** What one carrier call says about one tracking number. */
export type TrackingLookup =
  | { kind: 'found'; events: NewTrackingEvent[]; details: Omit<CarrierDetails, 'nextCheckAt' | 'trackerState'> }
  /** The carrier has nothing yet (normal for hours after a label). */
  | { kind: 'not_found_yet' }
  /** The carrier says the number can never exist. */
  | { kind: 'invalid_number'; message: string };

/**
 * A carrier's tracking API. Implementations live in `adapters/carriers/<vendor>/`
 * and are registered by carrier code in the composition root.
 */
export interface CarrierTracker {
  /** Carrier code, e.g. `ups`. */
  readonly carrier: string;
  /** Most numbers one call accepts (FedEx takes 30). */
  readonly maxBatchSize: number;
  /** Throws a DomainError `upstream_unavailable` for retryable failures. */
  track(trackingNumbers: string[]): Promise<Map<string, TrackingLookup>>;
}

export type TrackerRegistry = ReadonlyMap<string, CarrierTracker>;

export type TrackerHealth = { trackerState: TrackerState };
