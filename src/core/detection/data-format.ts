/**
 * The shape of a tracking_number_data courier file (`vendor/tracking_number_data/couriers/*.json`),
 * as far as Waymark reads it. Field names are the dataset's own (snake_case).
 */

/** Check-digit settings of one format. Which fields apply depends on `name`. */
export interface ChecksumSpec {
  name: string;
  /** mod10, mod7, s10, luhn, mod_37_36. */
  modulo?: number;
  /** mod10: multiplier for characters at even 0-based positions. */
  evens_multiplier?: number;
  /** mod10: multiplier for characters at odd 0-based positions. */
  odds_multiplier?: number;
  /** mod10: walk the serial from its last character. */
  reverse?: boolean;
  /** s10 and sum_product_with_weightings_and_modulo. */
  weightings?: number[];
  modulo1?: number;
  modulo2?: number;
  /** mod_37_36: the characters the check value is written in. */
  alphabet?: string;
}

/** One row of an `additional` lookup table: `matches` (exact) or `matches_regex`, plus payload. */
export interface LookupEntrySpec {
  matches?: string;
  matches_regex?: string;
  name?: string;
  description?: string;
  [field: string]: string | null | undefined;
}

export interface AdditionalSpec {
  name: string;
  regex_group_name: string;
  lookup: LookupEntrySpec[];
}

export interface ValidationSpec {
  checksum?: ChecksumSpec;
  serial_number_format?: { prepend_if?: { matches_regex: string; content: string } };
  /** Names of `additional` sections that must find a match for the number to be valid. */
  additional?: { exists?: string[] };
}

export interface TrackingNumberSpec {
  /** Absent on a few definitions; Waymark then derives one from `name`. */
  id?: string;
  name: string;
  description?: string;
  /** A pattern, or pieces to concatenate. Uses `(?<Group>…)` names such as SerialNumber, CheckDigit. */
  regex: string | string[];
  validation?: ValidationSpec;
  additional?: AdditionalSpec[];
  /** `%s` stands for the tracking number. */
  tracking_url?: string | null;
  test_numbers?: { valid?: string[]; invalid?: string[] };
}

export interface CourierSpec {
  name: string;
  courier_code: string;
  tracking_numbers: TrackingNumberSpec[];
}
