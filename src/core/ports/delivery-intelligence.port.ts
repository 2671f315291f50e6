import type { AlertOrderFacts, AlertShipmentFacts, DeliveryAlertKind } from '../intelligence/alerts.js';
import type {
  DeliveryPrediction,
  LaneKey,
  LaneLevel,
  PredictionBasis,
  PredictionConfidence,
  TransitSample,
} from '../intelligence/predict-delivery.js';

/** What delivery intelligence needs from storage: lane history, predictions, alert candidates and the alert ledger. */

export type NewTransitSample = {
  storeId: string;
  shipmentId: string;
  lane: LaneKey;
  sample: TransitSample;
  deliveredAt: string;
};

export type PredictionUpdate = {
  /** Omitted: the stored prediction stays; null: cleared (no date means anything now). */
  prediction?: DeliveryPrediction | null;
  lateFrom: string | null;
  predictedAt: string;
};

export type StoredPrediction = {
  predictedEdd: string | null;
  earliest: string | null;
  latest: string | null;
  confidence: PredictionConfidence | null;
  basis: PredictionBasis | null;
  sampleCount: number | null;
  predictedAt: string | null;
  lateFrom: string | null;
};

/** Where a page of candidates ends: the range column's value and the row id (keyset pagination). */
export type KeysetCursor = { value: string; id: string };

export type CandidateQuery = {
  limit: number;
  after?: KeysetCursor | null;
  /** Skip subjects already in the alert ledger for this alert (the scan), or list them all (the dashboard). */
  excludeRaised: boolean;
};

export type CandidatePage<T> = { rows: T[]; next: KeysetCursor | null };

export type AlertOrderCandidate = AlertOrderFacts & { orderNumber: string };

export type AlertShipmentCandidate = AlertShipmentFacts & {
  orderNumber: string;
  carrier: string | null;
  trackingNumber: string;
  lateFrom: string | null;
};

export type RaisedAlert = {
  storeId: string;
  milestone: DeliveryAlertKind;
  subjectId: string;
  orderId: string;
  shipmentId: string | null;
  since: string;
  details: Record<string, string | number | null>;
};

export type RaisedAlertMark = { subjectId: string; milestone: DeliveryAlertKind; raisedAt: string };

export interface DeliveryIntelligenceStore {
  /** One sample per delivered shipment; a second delivery of the same parcel is ignored. Returns whether it was new. */
  recordTransitSample(sample: NewTransitSample, now: string): Promise<boolean>;
  /** The newest samples of one lane level, delivered since `deliveredSince`, at most `limit`. */
  listTransitSamples(
    lane: LaneKey,
    level: LaneLevel,
    options: { deliveredSince: string; limit: number },
  ): Promise<TransitSample[]>;
  findPrediction(storeId: string, shipmentId: string): Promise<StoredPrediction | undefined>;
  savePrediction(storeId: string, shipmentId: string, update: PredictionUpdate, now: string): Promise<void>;

  /** Processing, not-shipped orders placed in [placedSince, placedBefore), oldest first. */
  listFulfillmentDelayCandidates(
    storeId: string,
    range: { placedSince: string; placedBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertOrderCandidate>>;
  /** In-transit shipments whose last scan is in [lastScanSince, lastScanBefore]. */
  listStalledCandidates(
    storeId: string,
    range: { lastScanSince: string; lastScanBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>>;
  /** Active shipments whose `late_from` date is in [since, until]. */
  listLateCandidates(
    storeId: string,
    range: { lateFromSince: string; lateFromUntil: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>>;
  /**
   * Active shipments of orders whose merchant-promised date is in [since, before): lateness that needs no
   * stored `late_from` (a promise changed after the last tracking news, or shipments older than the feature).
   */
  listPromiseMissedCandidates(
    storeId: string,
    range: { promisedSince: string; promisedBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>>;
  /** In-transit shipments predicted for a date in [from, to] with more than low confidence. */
  listArrivingCandidates(
    storeId: string,
    range: { eddFrom: string; eddTo: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>>;

  /** Adds alerts to the ledger; returns the ones that were not there yet (those, and only those, are planned). */
  recordRaisedAlerts(alerts: RaisedAlert[], now: string): Promise<RaisedAlert[]>;
  listRaisedAlerts(storeId: string, subjectIds: string[]): Promise<RaisedAlertMark[]>;
  /** Gives every enabled store a due alert-scan row if it has none yet; returns how many were added. */
  scheduleAlertScans(now: string): Promise<number>;
}
