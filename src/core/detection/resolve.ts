/**
 * Which carrier a shipment is with: the carrier name the store or 3PL gave, when Waymark
 * recognises it, wins over detection from the number — the merchant knows, for instance, that
 * an IMpb `92…` number is a FedEx or UPS hand-off rather than plain USPS.
 */
import { CarrierConfidence } from '../shipment/shipment.js';
import { normaliseCarrierName } from './carrier-names.js';
import { detectCarrier, type DetectionResult } from './detect.js';

export type ResolvedCarrierConfidence = Extract<CarrierConfidence, 'given' | 'detected' | 'unknown'>;

export interface ResolveCarrierInput {
  trackingNumber: string;
  /** The carrier name as the store, platform or 3PL sent it; null/empty when there was none. */
  carrierName?: string | null | undefined;
}

export interface ResolvedCarrier {
  /** Carrier code, or null when neither the given name nor the number identifies one. */
  carrier: string | null;
  confidence: ResolvedCarrierConfidence;
  /** Detection from the number, always run (compare it with a given carrier to spot mistakes). */
  detection: DetectionResult;
}

export function resolveCarrier({ trackingNumber, carrierName }: ResolveCarrierInput): ResolvedCarrier {
  const detection = detectCarrier(trackingNumber);
  const given = carrierName ? normaliseCarrierName(carrierName) : null;
  if (given !== null) return { carrier: given, confidence: CarrierConfidence.Given, detection };
  if (detection.carrier !== null)
    return { carrier: detection.carrier, confidence: CarrierConfidence.Detected, detection };
  return { carrier: null, confidence: CarrierConfidence.Unknown, detection };
}
