/**
 * Carrier detection from a bare tracking number, following tracking_number_data's rules:
 * normalise, match every format's pattern against the whole number, build the serial
 * (`prepend_if`), check the check digit, resolve the `additional` look-ups, then rank.
 *
 * Ranking (best first):
 * 1. valid with a verified check digit;
 * 2. valid, for a format that has no check digit (weak evidence: any 14 digits are "DHL eCommerce");
 * 3. matched the format but failed the check digit or a required look-up (a likely typo).
 * Within a rank: the longer matched form (see `normaliseTrackingNumber`), then the more
 * specific format (more fixed characters, see `analysePattern`), then `CARRIER_PRECEDENCE`,
 * then dataset order.
 *
 * Cost: each format's pattern is compiled once at module load, and a number is only tried
 * against the formats whose pattern can match its length (a handful of the 40).
 */
import { COURIERS } from './dataset.js';
import type { LookupEntrySpec } from './data-format.js';
import { compileDefinitions, SERVICE_TYPE_GROUP, type CompiledDefinition } from './definitions.js';

export interface DetectionCandidate {
  /** Carrier code: a tracking_number_data `courier_code`, or `sandbox`. */
  carrier: string;
  /** The format's name, e.g. "FedEx Express (12)". */
  name: string;
  valid: boolean;
  /** True when the format has a check digit and it matched. */
  checksumVerified: boolean;
  service?: string;
}

export interface DetectionResult {
  input: string;
  /** The best valid candidate's carrier; null when nothing valid matched. */
  carrier: string | null;
  valid: boolean;
  service?: string;
  /** Every format that matched, best first, including ones whose check digit failed. */
  candidates: DetectionCandidate[];
}

/** Everything known about one format's reading of a number. */
export interface TrackingNumberMatch {
  /** `${carrier}/${definitionId}`. */
  key: string;
  definitionId: string;
  carrier: string;
  carrierName: string;
  name: string;
  /** The normalised form the format matched. */
  number: string;
  valid: boolean;
  checksumVerified: boolean;
  /** The check-digit algorithm, or null when the format has none. */
  checksum: string | null;
  /** The serial the check digit is computed over (after `prepend_if`). */
  serialNumber: string;
  checkDigit: string | null;
  expectedCheckDigit: string | null;
  /** Named regex groups that matched (SerialNumber, CheckDigit, ServiceType, …). */
  groups: Record<string, string>;
  /** Look-up sections that found an entry, by section name ("Service Type", "Courier", …). */
  lookups: Record<string, LookupEntrySpec>;
  service?: string;
  trackingUrl?: string;
  specificity: number;
}

/**
 * Final tie-break between equally good readings (e.g. a 12-digit number that passes both
 * FedEx Express and Purolator check digits): the carriers most merchants ship with first.
 * Carriers not listed follow in dataset order.
 */
export const CARRIER_PRECEDENCE: readonly string[] = [
  'sandbox',
  'ups',
  'usps',
  'fedex',
  'dhl',
  'amazon',
  'ontrac',
  'lasership',
  'canada_post',
  'purolator',
  'dpd',
  'yodel',
  's10',
];

const DEFINITIONS: readonly CompiledDefinition[] = compileDefinitions(COURIERS);

/** The longest normalised number any format can match (41: DHL eCommerce); longer input matches nothing. */
export const MAX_TRACKING_NUMBER_LENGTH = Math.max(...DEFINITIONS.map((definition) => definition.maxLength));
if (!Number.isFinite(MAX_TRACKING_NUMBER_LENGTH)) throw new Error('a tracking number format has no maximum length');

/** `BY_LENGTH[n]`: the formats that can match a normalised number of length n, in dataset order. */
const BY_LENGTH: readonly (readonly CompiledDefinition[])[] = Array.from(
  { length: MAX_TRACKING_NUMBER_LENGTH + 1 },
  (_, n) => DEFINITIONS.filter((definition) => definition.minLength <= n && n <= definition.maxLength),
);
const PRECEDENCE = new Map(CARRIER_PRECEDENCE.map((carrier, index) => [carrier, index]));

/** Every carrier code detection can return, in dataset order (`sandbox` last). */
export const CARRIER_CODES: readonly string[] = [...new Set(DEFINITIONS.map((definition) => definition.carrier))];

/** The compiled formats, for inspection and tests. */
export function trackingNumberDefinitions(): readonly CompiledDefinition[] {
  return DEFINITIONS;
}

const IGNORED_CHARACTERS = /[\s\u200B-\u200D\u2060]+/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * The form tracking_number_data matches against: whitespace removed, upper case. Typographic
 * dashes become `-`. Dashes are otherwise kept here, because one format (LaserShip 1LS7 (18),
 * `…-1`) contains one; detection also tries the number with dashes removed (`1Z-…` as printed
 * by some stores).
 */
export function normaliseTrackingNumber(input: string): string {
  return input.replace(IGNORED_CHARACTERS, '').replace(DASHES, '-').toUpperCase();
}

function readings(input: string): string[] {
  const normalised = normaliseTrackingNumber(input);
  const forms = normalised.includes('-') ? [normalised, normalised.replaceAll('-', '')] : [normalised];
  return forms.filter((form) => form.length > 0 && form.length <= MAX_TRACKING_NUMBER_LENGTH);
}

function read(definition: CompiledDefinition, number: string): TrackingNumberMatch | null {
  const found = definition.pattern.exec(number);
  if (!found) return null;

  const groups: Record<string, string> = {};
  const captured = found.groups;
  if (captured) {
    for (const name of definition.groupNames) {
      const value = captured[name];
      if (value !== undefined) groups[name] = value;
    }
  }

  let serialNumber = groups.SerialNumber ?? '';
  const prepend = definition.prependIf;
  if (prepend && prepend.test.test(serialNumber)) serialNumber = prepend.content + serialNumber;

  const checkDigit = groups.CheckDigit ?? null;
  const expectedCheckDigit = definition.checkDigit ? definition.checkDigit(serialNumber) : null;
  const checksumVerified =
    definition.checkDigit !== null && expectedCheckDigit !== null && expectedCheckDigit === checkDigit;

  const lookups: Record<string, LookupEntrySpec> = {};
  let service: string | undefined;
  for (const lookup of definition.lookups) {
    const value = groups[lookup.group];
    if (value === undefined) continue;
    const entry = lookup.find(value);
    if (!entry) continue;
    lookups[lookup.name] = entry;
    if (lookup.group === SERVICE_TYPE_GROUP && service === undefined && entry.name) service = entry.name;
  }
  const lookupsFound = definition.requiredLookups.every((name) => lookups[name] !== undefined);

  const match: TrackingNumberMatch = {
    key: definition.key,
    definitionId: definition.id,
    carrier: definition.carrier,
    carrierName: definition.carrierName,
    name: definition.name,
    number,
    valid: (definition.checkDigit === null || checksumVerified) && lookupsFound,
    checksumVerified,
    checksum: definition.checksumName,
    serialNumber,
    checkDigit,
    expectedCheckDigit,
    groups,
    lookups,
    specificity: definition.specificity,
  };
  if (service !== undefined) match.service = service;
  if (definition.trackingUrl) match.trackingUrl = definition.trackingUrl.replace('%s', encodeURIComponent(number));
  return match;
}

function tier(match: TrackingNumberMatch): number {
  if (!match.valid) return 2;
  return match.checksumVerified ? 0 : 1;
}

function precedence(carrier: string): number {
  return PRECEDENCE.get(carrier) ?? CARRIER_PRECEDENCE.length;
}

const ORDER = new Map(DEFINITIONS.map((definition) => [definition.key, definition.order]));

/** Negative when `a` ranks before `b`. */
export function compareMatches(a: TrackingNumberMatch, b: TrackingNumberMatch): number {
  return (
    tier(a) - tier(b) ||
    b.number.length - a.number.length ||
    b.specificity - a.specificity ||
    precedence(a.carrier) - precedence(b.carrier) ||
    (ORDER.get(a.key) ?? 0) - (ORDER.get(b.key) ?? 0)
  );
}

/** Every format that matches the number (valid or not), best first, one reading per format. */
export function explainTrackingNumber(input: string): TrackingNumberMatch[] {
  const matches: TrackingNumberMatch[] = [];
  for (const number of readings(input)) {
    for (const definition of BY_LENGTH[number.length] ?? []) {
      const match = read(definition, number);
      if (!match) continue;
      const existing = matches.findIndex((other) => other.key === match.key);
      if (existing < 0) matches.push(match);
      else if (compareMatches(match, matches[existing]!) < 0) matches[existing] = match;
    }
  }
  return matches.sort(compareMatches);
}

function toCandidate(match: TrackingNumberMatch): DetectionCandidate {
  const candidate: DetectionCandidate = {
    carrier: match.carrier,
    name: match.name,
    valid: match.valid,
    checksumVerified: match.checksumVerified,
  };
  if (match.service !== undefined) candidate.service = match.service;
  return candidate;
}

/**
 * Recognises the carrier of a tracking number. `carrier` is the best valid candidate's carrier
 * code, or null when nothing valid matched; `candidates` keeps every format that matched.
 */
export function detectCarrier(input: string): DetectionResult {
  const matches = explainTrackingNumber(input);
  const best = matches[0]?.valid ? matches[0] : undefined;
  const candidates = matches.map(toCandidate);
  if (!best) return { input, carrier: null, valid: false, candidates };
  // Key order is the CLI's output order: input, carrier, valid, service?, candidates.
  return best.service === undefined
    ? { input, carrier: best.carrier, valid: true, candidates }
    : { input, carrier: best.carrier, valid: true, service: best.service, candidates };
}
