import { describe, expect, it } from 'vitest';

import { acceptedLanguages, negotiatePageLocale } from './page-locale.js';

describe('acceptedLanguages', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', ['fr-CH', 'fr', 'en', 'de']],
    ['en;q=0.1, es', ['es', 'en']],
    ['de;q=0, fr', ['fr']],
    ['<script>, en', ['en']],
    ['es-419;q=0.5, es-MX;q=0.5', ['es-419', 'es-MX']],
  ])('should rank %j as %j', (header, expected) => {
    expect(acceptedLanguages(header)).toEqual(expected);
  });
});

describe('negotiatePageLocale', () => {
  it.each<[string | undefined, string | null, string, string]>([
    ['fr-CA,fr;q=0.9', 'en', 'fr', 'fr-CA'],
    ['ja, es;q=0.5', 'en', 'es', 'es'],
    ['ja', 'de', 'de', 'de'],
    [undefined, 'es-MX', 'es', 'es-MX'],
    ['zh', null, 'en', 'en'],
    ['en-GB', 'fr', 'en', 'en-GB'],
  ])('should pick %j with store locale %j → %s (%s)', (header, storeLocale, language, formatting) => {
    expect(negotiatePageLocale(header, storeLocale)).toEqual({ language, formatting });
  });
});
