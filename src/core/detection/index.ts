/** Carrier detection from tracking numbers and carrier names (Waymark issue 3, item 1). */
export {
  detectCarrier,
  explainTrackingNumber,
  normaliseTrackingNumber,
  compareMatches,
  trackingNumberDefinitions,
  CARRIER_CODES,
  CARRIER_PRECEDENCE,
  MAX_TRACKING_NUMBER_LENGTH,
  type DetectionCandidate,
  type DetectionResult,
  type TrackingNumberMatch,
} from './detect.js';
export { normaliseCarrierName, foldCarrierName, carrierAliases } from './carrier-names.js';
export {
  resolveCarrier,
  type ResolveCarrierInput,
  type ResolvedCarrier,
  type ResolvedCarrierConfidence,
} from './resolve.js';
export { SANDBOX_CARRIER, SANDBOX_PREFIX, sandboxScenario, sandboxTrackingNumber } from './sandbox.js';
export {
  ChecksumName,
  CHECKSUM_NAMES,
  mod10CheckDigit,
  mod7CheckDigit,
  s10CheckDigit,
  weightedModuloCheckDigit,
  luhnCheckDigit,
  mod3736CheckDigit,
  type Mod10Options,
} from './checksums.js';
