/**
 * The check-digit algorithms tracking_number_data uses, by the names its courier files give
 * them (`validation.checksum.name`). Each `*CheckDigit` function returns the check character
 * the serial should carry, or `null` when the serial holds a character the algorithm cannot
 * read (or is empty). The serial is the `SerialNumber` group after `prepend_if`, upper case,
 * without whitespace.
 */
import type { ChecksumSpec } from './data-format.js';

export const ChecksumName = {
  Mod10: 'mod10',
  Mod7: 'mod7',
  S10: 's10',
  SumProductWithWeightingsAndModulo: 'sum_product_with_weightings_and_modulo',
  Luhn: 'luhn',
  Mod3736: 'mod_37_36',
} as const;
export type ChecksumName = (typeof ChecksumName)[keyof typeof ChecksumName];
export const CHECKSUM_NAMES: readonly ChecksumName[] = Object.values(ChecksumName);

export const S10_WEIGHTINGS: readonly number[] = [8, 6, 4, 2, 3, 5, 9, 7];
export const BASE36_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_A = 65;
const CODE_Z = 90;

/** 0–9 for a digit, -1 for anything else. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= CODE_0 && code <= CODE_9 ? code - CODE_0 : -1;
}

/** `modulo - (total mod modulo)`, or 0 when the total is a multiple of the modulo. */
function complement(total: number, modulo: number): number {
  const remainder = total % modulo;
  return remainder === 0 ? 0 : modulo - remainder;
}

export type Mod10Options = {
  evensMultiplier?: number;
  oddsMultiplier?: number;
  modulo?: number;
  reverse?: boolean;
};

/**
 * Weighted mod 10 (UPS, USPS, FedEx Ground, OnTrac, Canada Post). Walks the serial (from the end
 * when `reverse`), multiplying the character at an even 0-based position by `evensMultiplier`
 * and at an odd one by `oddsMultiplier`; a digit counts as its value and a letter A–Z as
 * (char code − 3) mod 10, which is how UPS `1Z` serials with letters are checked. The check digit
 * brings the sum up to the next multiple of `modulo`.
 */
export function mod10CheckDigit(serial: string, options: Mod10Options = {}): string | null {
  const { evensMultiplier = 1, oddsMultiplier = 1, modulo = 10, reverse = false } = options;
  const length = serial.length;
  if (length === 0) return null;
  let total = 0;
  for (let position = 0; position < length; position++) {
    const code = serial.charCodeAt(reverse ? length - 1 - position : position);
    let value: number;
    if (code >= CODE_0 && code <= CODE_9) value = code - CODE_0;
    else if (code >= CODE_A && code <= CODE_Z) value = (code - 3) % 10;
    else return null;
    total += value * (position % 2 === 0 ? evensMultiplier : oddsMultiplier);
  }
  return String(complement(total, modulo));
}

/** The serial read as one (arbitrarily long) integer, modulo 7 (DHL Express). */
export function mod7CheckDigit(serial: string, modulo = 7): string | null {
  if (serial.length === 0) return null;
  let remainder = 0;
  for (let index = 0; index < serial.length; index++) {
    const digit = digitAt(serial, index);
    if (digit < 0) return null;
    remainder = (remainder * 10 + digit) % modulo;
  }
  return String(remainder);
}

/**
 * UPU S10: the eight serial digits times 8,6,4,2,3,5,9,7, summed, r = sum mod 11; the check
 * digit is 0 when r = 1, 5 when r = 0, otherwise 11 − r.
 */
export function s10CheckDigit(
  serial: string,
  weightings: readonly number[] = S10_WEIGHTINGS,
  modulo = 11,
): string | null {
  const total = weightedSum(serial, weightings);
  if (total === null) return null;
  const remainder = total % modulo;
  if (remainder === 1) return '0';
  if (remainder === 0) return '5';
  return String(modulo - remainder);
}

/** Sum of digit × weight (a position without a weight counts 0), mod `modulo1`, then mod `modulo2` (FedEx). */
export function weightedModuloCheckDigit(
  serial: string,
  weightings: readonly number[],
  modulo1: number,
  modulo2: number,
): string | null {
  const total = weightedSum(serial, weightings);
  return total === null ? null : String((total % modulo1) % modulo2);
}

/**
 * Luhn (Old Dominion, Purolator): from the last serial digit leftwards, every other digit
 * starting with the last is doubled (9 subtracted when the double exceeds 9); the check digit
 * brings the sum up to the next multiple of `modulo`.
 */
export function luhnCheckDigit(serial: string, modulo = 10): string | null {
  if (serial.length === 0) return null;
  let total = 0;
  for (let fromEnd = 0; fromEnd < serial.length; fromEnd++) {
    const digit = digitAt(serial, serial.length - 1 - fromEnd);
    if (digit < 0) return null;
    if (fromEnd % 2 === 0) {
      const doubled = digit * 2;
      total += doubled > 9 ? doubled - 9 : doubled;
    } else {
      total += digit;
    }
  }
  return String(complement(total, modulo));
}

/**
 * ISO 7064 hybrid MOD 37,36 over an alphanumeric serial (DPD): 0–9 are their value, A–Z are
 * 10–35. Start at `modulo`; per character add its value, subtract `modulo` if above it, double,
 * subtract `modulo + 1` if above `modulo`. The check value is `modulo + 1 − running` (with
 * `modulo` meaning 0), written through `alphabet`.
 */
export function mod3736CheckDigit(serial: string, modulo = 36, alphabet = BASE36_ALPHABET): string | null {
  if (serial.length === 0) return null;
  let running = modulo;
  for (let index = 0; index < serial.length; index++) {
    const code = serial.charCodeAt(index);
    let value: number;
    if (code >= CODE_0 && code <= CODE_9) value = code - CODE_0;
    else if (code >= CODE_A && code <= CODE_Z) value = code - CODE_A + 10;
    else return null;
    running += value;
    if (running > modulo) running -= modulo;
    running *= 2;
    if (running > modulo) running -= modulo + 1;
  }
  let expected = modulo + 1 - running;
  if (expected === modulo) expected = 0;
  return alphabet[expected] ?? null;
}

function weightedSum(serial: string, weightings: readonly number[]): number | null {
  if (serial.length === 0) return null;
  let total = 0;
  for (let index = 0; index < serial.length; index++) {
    const digit = digitAt(serial, index);
    if (digit < 0) return null;
    total += digit * (weightings[index] ?? 0);
  }
  return total;
}

/** Computes the expected check character of a serial. */
export type CheckDigitFunction = (serial: string) => string | null;

/**
 * Turns a courier file's checksum settings into a function, applying the dataset's defaults
 * for settings a file leaves out. Throws on an algorithm Waymark does not know, or on missing
 * settings that have no default — at module load, so a changed dataset fails loudly.
 */
export function compileChecksum(spec: ChecksumSpec): CheckDigitFunction {
  switch (spec.name) {
    case ChecksumName.Mod10: {
      const options: Mod10Options = {
        evensMultiplier: spec.evens_multiplier ?? 1,
        oddsMultiplier: spec.odds_multiplier ?? 1,
        modulo: spec.modulo ?? 10,
        reverse: spec.reverse ?? false,
      };
      return (serial) => mod10CheckDigit(serial, options);
    }
    case ChecksumName.Mod7: {
      const modulo = spec.modulo ?? 7;
      return (serial) => mod7CheckDigit(serial, modulo);
    }
    case ChecksumName.S10: {
      const weightings = spec.weightings ?? S10_WEIGHTINGS;
      const modulo = spec.modulo ?? 11;
      return (serial) => s10CheckDigit(serial, weightings, modulo);
    }
    case ChecksumName.SumProductWithWeightingsAndModulo: {
      const { weightings, modulo1, modulo2 } = spec;
      if (!weightings || modulo1 === undefined || modulo2 === undefined) {
        throw new Error(`checksum ${spec.name} needs weightings, modulo1 and modulo2`);
      }
      return (serial) => weightedModuloCheckDigit(serial, weightings, modulo1, modulo2);
    }
    case ChecksumName.Luhn: {
      const modulo = spec.modulo ?? 10;
      return (serial) => luhnCheckDigit(serial, modulo);
    }
    case ChecksumName.Mod3736: {
      const modulo = spec.modulo ?? 36;
      const alphabet = spec.alphabet ?? BASE36_ALPHABET;
      return (serial) => mod3736CheckDigit(serial, modulo, alphabet);
    }
    default:
      throw new Error(`unknown checksum algorithm: ${spec.name}`);
  }
}
