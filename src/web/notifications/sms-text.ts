/**
 * SMS bodies in GSM-7 where that costs nothing but an accent.
 *
 * One character outside the GSM 03.38 alphabet (a curly quote, a "ç", an
 * "í") turns the whole message into UCS-2: 70 characters a segment instead of
 * 160, so a message with a signed tracking link goes from two segments to
 * four. Like the providers' "smart encoding", characters with a GSM-7
 * look-alike are folded to it (quotes, dashes, accents the alphabet lacks);
 * if something without one remains (emoji, CJK), the text is sent unchanged,
 * since it is UCS-2 anyway and folding would only lose the accents.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Sent as an escape plus a character: each costs two septets. */
const GSM7_EXTENSION = '^{}\\[~]|€';
const GSM7 = new Set([...GSM7_BASIC, ...GSM7_EXTENSION]);

const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u201a', "'"],
  ['\u201b', "'"],
  ['\u2032', "'"],
  ['\u2039', "'"],
  ['\u203a', "'"],
  ['\u201c', '"'],
  ['\u201d', '"'],
  ['\u201e', '"'],
  ['\u201f', '"'],
  ['\u2033', '"'],
  ['\u00ab', '"'],
  ['\u00bb', '"'],
  ['\u2010', '-'],
  ['\u2011', '-'],
  ['\u2012', '-'],
  ['\u2013', '-'],
  ['\u2014', '-'],
  ['\u2015', '-'],
  ['\u2212', '-'],
  ['\u2026', '...'],
  ['\u2022', '-'],
  ['\u00b7', '-'],
  ['\u00a0', ' '],
  ['\u2007', ' '],
  ['\u2009', ' '],
  ['\u202f', ' '],
  ['\u0153', 'oe'],
  ['\u0152', 'OE'],
]);

const COMBINING_MARKS = /\p{M}/gu;

export function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM7.has(char)) return false;
  return true;
}

function foldCharacter(char: string): string {
  if (GSM7.has(char)) return char;
  const lookAlike = LOOK_ALIKES.get(char);
  if (lookAlike !== undefined) return lookAlike;
  const bare = char.normalize('NFD').replace(COMBINING_MARKS, '');
  return bare.length > 0 && isGsm7(bare) ? bare : char;
}

/** The text folded to GSM-7 when the fold reaches it completely; else the text unchanged. */
export function toGsm7WhenPossible(text: string): string {
  if (isGsm7(text)) return text;
  const folded = Array.from(text, foldCharacter).join('');
  return isGsm7(folded) ? folded : text;
}
