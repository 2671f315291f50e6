import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SMS_MAX_SEGMENTS, smsSegments, toE164, truncateSms } from './phone-number.js';

/** A lone UTF-16 surrogate: half an emoji, shown as "�" on the phone. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe('toE164', () => {
  it.each([
    // United States: FIXED_LINE_OR_MOBILE, since NANP numbers do not tell
    ['(201) 555-0123', 'US', '+12015550123'],
    ['201.555.0123', 'US', '+12015550123'],
    ['1 (201) 555-0123', 'US', '+12015550123'],
    ['+1 201-555-0123', undefined, '+12015550123'],
    ['001 201 555 0123', 'GB', '+12015550123'],
    ['  (201) 555-0123  ', 'us', '+12015550123'],
    // United Kingdom
    ['07400 123456', 'GB', '+447400123456'],
    ['07400-123-456', 'GB', '+447400123456'],
    ['+44 (0)7400 123456', undefined, '+447400123456'],
    ['0044 7400 123456', undefined, '+447400123456'],
    ['0044 7400 123456', 'US', '+447400123456'],
    // France
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['06.12.34.56.78', 'FR', '+33612345678'],
    ['+33 6 12 34 56 78', undefined, '+33612345678'],
    ['0033 6 12 34 56 78', 'DE', '+33612345678'],
    // Germany
    ['01512 3456789', 'DE', '+4915123456789'],
    ['0151-23456789', 'DE', '+4915123456789'],
    ['+49 (151) 23456789', undefined, '+4915123456789'],
    ['0049 151 23456789', 'US', '+4915123456789'],
    // Mexico, including the "1" after +52 that numbers lost in 2019
    ['222 123 4567', 'MX', '+522221234567'],
    ['(55) 1234-5678', 'MX', '+525512345678'],
    ['+52 1 222 123 4567', undefined, '+522221234567'],
    ['+52 1 55 1234 5678', 'US', '+525512345678'],
    ['0052 55 1234 5678', 'FR', '+525512345678'],
  ])('should read %j (default country %s) as %s', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it.each([
    ['', 'US', 'empty'],
    ['   ', 'US', 'blank'],
    ['abc', 'US', 'not a number'],
    ['12', 'US', 'too short'],
    ['+44 7400 12345', undefined, 'one digit short'],
    ['020 7946 0958', 'GB', 'a London landline'],
    ['01 23 45 67 89', 'FR', 'a Paris landline'],
    ['030 123456', 'DE', 'a Berlin landline'],
    ['+1 800 555 0123', undefined, 'toll-free'],
    ['07400 123456', undefined, 'national without a country'],
    ['07400 123456', 'XX', 'national with an unknown country'],
    ['(201) 555-0123', 'FR', 'a US number read in France'],
    ['call me at (201) 555-0123', 'US', 'text around the number'],
    ['+44 7400 123456 ext. 12', undefined, 'an extension'],
  ])('should return null for %j (default country %s) when it is %s', (raw, country, _why) => {
    expect(toE164(raw, country)).toBeNull();
  });
});

describe('smsSegments', () => {
  const a = (count: number) => 'a'.repeat(count);

  it.each([
    ['an empty body', '', 'GSM-7', 0, 0],
    ['one GSM-7 character', 'a', 'GSM-7', 1, 1],
    ['160 GSM-7 characters', a(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters', a(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters', a(306), 'GSM-7', 306, 2],
    ['307 GSM-7 characters', a(307), 'GSM-7', 307, 3],
    ['80 euro signs (extension table, 2 septets each)', '€'.repeat(80), 'GSM-7', 160, 1],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 162, 2],
    ['an escape pair that would straddle segments', `${a(152)}€${a(152)}`, 'GSM-7', 306, 3],
    ['the accents GSM-7 has (é, à, Ñ, ñ, Ü, Ç)', 'Déjà vu, Ñoño Über Ç', 'GSM-7', 20, 1],
    ['a lowercase ç, which GSM-7 lacks', 'reçu', 'UCS-2', 4, 1],
    ['70 UCS-2 characters', 'ç'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters', 'ç'.repeat(71), 'UCS-2', 71, 2],
    ['134 UCS-2 characters', 'ç'.repeat(134), 'UCS-2', 134, 2],
    ['an emoji (two UTF-16 units)', `${a(68)}📦`, 'UCS-2', 70, 1],
    ['an emoji that would straddle segments', `${a(66)}📦${a(66)}`, 'UCS-2', 134, 3],
  ])('should count %s', (_name, body, encoding, units, segments) => {
    expect(smsSegments(body)).toMatchObject({ encoding, units, segments });
  });

  it('should keep a typical shipping update in one GSM-7 segment', () => {
    const body =
      'Acme: your order #1042 is out for delivery today with UPS. Track it: https://track.example.com/t/8f3kq2 Reply STOP to opt out.';
    expect(smsSegments(body)).toEqual({ encoding: 'GSM-7', segments: 1, units: body.length, nonGsmCharacters: [] });
  });

  it('should name the characters that forced UCS-2 when a curly apostrophe slips in', () => {
    const result = smsSegments('It’s on its way — arriving today 🚚');
    expect(result.encoding).toBe('UCS-2');
    expect(result.nonGsmCharacters).toEqual(['’', '—', '🚚']);
  });

  it('should count extension characters as two septets when the body has braces', () => {
    expect(smsSegments('{order} [x] ~ | \\ ^')).toMatchObject({ encoding: 'GSM-7', units: 27 });
  });
});

describe('truncateSms', () => {
  it('should return the body unchanged when it fits', () => {
    const body = 'Your parcel was delivered.';
    expect(truncateSms(body)).toBe(body);
    expect(truncateSms('')).toBe('');
  });

  it('should cut a long GSM-7 body to two full segments ending in "..." by default', () => {
    const result = truncateSms('a'.repeat(400));
    expect(SMS_MAX_SEGMENTS).toBe(2);
    expect(result).toBe(`${'a'.repeat(303)}...`);
    expect(smsSegments(result)).toMatchObject({ encoding: 'GSM-7', segments: 2, units: 306 });
  });

  it('should keep GSM-7 when the only non-GSM character falls in the cut part', () => {
    const result = truncateSms(`${'a'.repeat(300)}📦${'b'.repeat(50)}`, 2);
    expect(result).toBe(`${'a'.repeat(300)}...`);
    expect(smsSegments(result).encoding).toBe('GSM-7');
  });

  it('should end a UCS-2 body with a one-character "…" when it is cut', () => {
    const result = truncateSms('ç'.repeat(200), 2);
    expect(result).toBe(`${'ç'.repeat(133)}…`);
    expect(smsSegments(result)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('should never split an emoji or a flag when cutting', () => {
    const emoji = truncateSms('📦'.repeat(100), 2);
    expect(emoji).toBe(`${'📦'.repeat(66)}…`);
    const flags = truncateSms('🇫🇷'.repeat(60), 1);
    expect(flags).toBe(`${'🇫🇷'.repeat(17)}…`);
    expect(LONE_SURROGATE.test(emoji) || LONE_SURROGATE.test(flags)).toBe(false);
  });

  it('should drop trailing spaces before the ellipsis when the cut falls after a word', () => {
    expect(truncateSms(`${'a'.repeat(303)}   ${'b'.repeat(100)}`, 2)).toBe(`${'a'.repeat(303)}...`);
  });

  it('should allow a single segment when asked for one', () => {
    const result = truncateSms('a'.repeat(200), 1);
    expect(result).toBe(`${'a'.repeat(157)}...`);
  });

  it.each([0, -1, 1.5, Number.NaN])('should throw a RangeError when maxSegments is %s', (maxSegments) => {
    expect(() => truncateSms('hello', maxSegments)).toThrow(RangeError);
  });

  it('should always fit the budget and keep a prefix of the body when given any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '€', '{', 'é', 'ç', '’', '📦', '🇫🇷', '\n'), maxLength: 400 }),
        fc.integer({ min: 1, max: 4 }),
        (body, maxSegments) => {
          const result = truncateSms(body, maxSegments);
          expect(smsSegments(result).segments).toBeLessThanOrEqual(maxSegments);
          expect(LONE_SURROGATE.test(result)).toBe(false);
          if (result !== body) expect(body.startsWith(result.replace(/(\.\.\.|…)$/u, ''))).toBe(true);
        },
      ),
    );
  });
});
