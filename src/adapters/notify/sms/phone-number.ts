import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Phone number types that can receive an SMS. North American (and Mexican)
 * numbers do not reveal whether they are mobile, so libphonenumber calls them
 * FIXED_LINE_OR_MOBILE; rejecting them would reject every US customer.
 */
const SMS_CAPABLE_TYPES: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Mexico dropped the "1" that used to follow +52 on mobile numbers in 2019,
 * but customers (and old platform data) still write `+52 1 55 1234 5678`.
 */
const OBSOLETE_MEXICAN_MOBILE_PREFIX = /^\+521(\d{10})$/;

/**
 * A customer's phone number as E.164 (`+447400123456`), or null when it
 * cannot receive an SMS.
 *
 * Accepts what people type: spaces, dashes, dots, parentheses, `+` or the
 * `00` international prefix, or a national number read in `defaultCountry`
 * (ISO 3166 alpha-2, e.g. the shipping address's country). Only numbers that
 * are valid per libphonenumber's full metadata and mobile-capable are
 * returned: landlines, toll-free, premium, shared-cost, VoIP and pager
 * numbers, numbers with an extension, and text around the number all give
 * null, so an SMS row is suppressed up front instead of failing at Twilio.
 */
export function toE164(raw: string, defaultCountry?: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  const country = supportedCountry(defaultCountry);
  const asTyped = mobileNumber(text, country);
  if (asTyped) return asTyped;
  // `00` is the international prefix in most of the world but not in the
  // default country's plan (the US dials 011), so read it as `+` once more.
  if (text.startsWith('00')) return mobileNumber(`+${text.slice(2)}`, country);
  return null;
}

function supportedCountry(candidate: string | undefined): CountryCode | undefined {
  const upper = candidate?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}

function mobileNumber(text: string, defaultCountry: CountryCode | undefined): string | null {
  // `extract: false`: the whole input must be the number, not "call (201) 555-0123 after 6".
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!parsed) return null;
  const obsoleteMexican = OBSOLETE_MEXICAN_MOBILE_PREFIX.exec(parsed.number);
  if (obsoleteMexican && !parsed.isValid()) return mobileNumber(`+52${obsoleteMexican[1]}`, undefined);
  if (parsed.ext || !parsed.isValid()) return null;
  const type = parsed.getType();
  return type !== undefined && SMS_CAPABLE_TYPES.has(type) ? parsed.number : null;
}

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export type SmsSegmentation = {
  encoding: SmsEncoding;
  /** Message parts the carrier sends and Twilio bills; 0 for an empty body. */
  segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** The distinct characters that forced UCS-2, for a template preview to name; empty for GSM-7. */
  nonGsmCharacters: string[];
};

/** Waymark's budget per customer SMS: every segment is billed, and long texts may arrive split on older phones. */
export const SMS_MAX_SEGMENTS = 2;

/** GSM 03.38 default alphabet (one septet each); ESC (0x1B) is left out, it only prefixes the extension table. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: two septets each (ESC + the character). */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const GSM_SEPTETS = new Map<string, number>([
  ...[...GSM_BASIC].map((character): [string, number] => [character, 1]),
  ...[...GSM_EXTENSION].map((character): [string, number] => [character, 2]),
]);

/**
 * One segment carries 140 octets: 160 septets or 70 UCS-2 units. Concatenated
 * segments spend 6 octets on the header that reassembles them, leaving 153 or 67.
 */
const CAPACITY: Record<SmsEncoding, { single: number; concatenated: number }> = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
};

/**
 * How many segments `body` is sent as. One character outside the GSM-7
 * alphabet (an emoji, a curly apostrophe, "ç", "ł") switches the whole
 * message to UCS-2, which holds less than half as much per segment.
 * Characters are never split across segments (an extension character's escape
 * pair, an emoji's surrogate pair), which is why the count can exceed
 * `ceil(units / 153)`.
 */
export function smsSegments(body: string): SmsSegmentation {
  const characters = [...body];
  const nonGsmCharacters = [...new Set(characters.filter((character) => !GSM_SEPTETS.has(character)))];
  const encoding: SmsEncoding = nonGsmCharacters.length === 0 ? 'GSM-7' : 'UCS-2';
  const sizes = characters.map((character) => (encoding === 'GSM-7' ? GSM_SEPTETS.get(character)! : character.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  return { encoding, segments: countSegments(sizes, units, encoding), units, nonGsmCharacters };
}

function countSegments(sizes: number[], units: number, encoding: SmsEncoding): number {
  if (units === 0) return 0;
  const { single, concatenated } = CAPACITY[encoding];
  if (units <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > concatenated) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `body` cut so it fits in `maxSegments`, ending with an ellipsis when cut.
 * The cut falls between user-perceived characters (never inside an emoji or
 * an accent) and the ellipsis matches the text's encoding — "…" is not GSM-7
 * and would by itself halve the room of a plain-text message. Put what must
 * survive (the tracking link) first in the template: the end is what goes.
 */
export function truncateSms(body: string, maxSegments: number = SMS_MAX_SEGMENTS): string {
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`maxSegments must be a positive integer (got ${maxSegments})`);
  }
  if (smsSegments(body).segments <= maxSegments) return body;
  const pieces = [...graphemes.segment(body)].map((piece) => piece.segment);
  const fits = (count: number): boolean => smsSegments(withEllipsis(pieces, count)).segments <= maxSegments;
  // Segments only grow as characters are added, so the longest prefix that fits is found by bisection.
  let low = 0;
  let high = pieces.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return withEllipsis(pieces, low);
}

function withEllipsis(pieces: string[], count: number): string {
  const kept = pieces.slice(0, count).join('').trimEnd();
  return kept + (smsSegments(kept).encoding === 'GSM-7' ? '...' : '…');
}
