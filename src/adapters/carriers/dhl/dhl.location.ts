import type { EventLocation } from '../../../core/shipment/shipment.js';

/** `location.address` of a DHL status block or event, as far as we read it. */
export type DhlAddress = {
  countryCode?: string | null;
  postalCode?: string | null;
  addressLocality?: string | null;
};

/**
 * Names DHL writes that the ICU region names do not cover (Express writes
 * "USA", "CHINA MAINLAND", "KOREA, REPUBLIC OF (SOUTH K.)"…).
 */
const COUNTRY_ALIASES: Record<string, string> = {
  USA: 'US',
  'UNITED STATES OF AMERICA': 'US',
  UK: 'GB',
  'GREAT BRITAIN': 'GB',
  ENGLAND: 'GB',
  SCOTLAND: 'GB',
  WALES: 'GB',
  'NORTHERN IRELAND': 'GB',
  'CHINA MAINLAND': 'CN',
  'PEOPLES REPUBLIC OF CHINA': 'CN',
  'CHINA PEOPLES REPUBLIC': 'CN',
  'HONG KONG SAR': 'HK',
  'HONG KONG SAR CHINA': 'HK',
  'MACAU SAR CHINA': 'MO',
  MACAU: 'MO',
  'TAIWAN CHINA': 'TW',
  'KOREA REPUBLIC OF': 'KR',
  'KOREA REPUBLIC OF SOUTH K': 'KR',
  'REPUBLIC OF KOREA': 'KR',
  'KOREA SOUTH': 'KR',
  'CZECH REPUBLIC': 'CZ',
  'RUSSIAN FEDERATION': 'RU',
  TURKEY: 'TR',
  'VIET NAM': 'VN',
  UAE: 'AE',
  HOLLAND: 'NL',
  'IVORY COAST': 'CI',
  SWAZILAND: 'SZ',
  MACEDONIA: 'MK',
  'CONGO THE DEMOCRATIC REPUBLIC OF': 'CD',
  'CONGO DEMOCRATIC REPUBLIC OF': 'CD',
  'CANARY ISLANDS': 'ES',
};

/** ICU also names groupings (EU, UN), user-assigned codes and reserved territories; none is an ISO 3166-1 country. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'AA', 'AC', 'CP', 'DG', 'EA', 'IC', 'TA']);

function isCountryCode(code: string): boolean {
  if (code === 'XK') return true;
  if (NOT_COUNTRIES.has(code) || /^(?:Q[M-Z]|X[A-Z])$/.test(code)) return false;
  // Retired codes (DD, SU, YU, FX…) carry today's names; only the current code may own a name.
  return Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`;
}

export function foldCountryName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .trim()
    .replace(/,\s*THE$/, '')
    .replace(/^THE\s+/, '')
    .replace(/[.,()'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let countryIndex: Map<string, string> | null = null;

/** English and German ICU region names (DHL writes both), built once. */
function buildCountryIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const namers = ['en', 'de'].flatMap((locale) =>
    (['long', 'short'] as const).map((style) => new Intl.DisplayNames([locale], { type: 'region', style })),
  );
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      if (!isCountryCode(code)) continue;
      for (const namer of namers) {
        const name = namer.of(code);
        if (name && name.toUpperCase() !== code) index.set(foldCountryName(name), code);
      }
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) index.set(alias, code);
  return index;
}

/** ISO-2 code for a country name as DHL writes it ("GERMANY", "PHILIPPINES, THE", "Deutschland"), or null. */
export function countryCodeFromName(name: string): string | null {
  countryIndex ??= buildCountryIndex();
  return countryIndex.get(foldCountryName(name)) ?? null;
}

/** States and provinces follow the city after a comma in Express localities ("NEW YORK, NY - USA"). */
const COUNTRIES_WITH_REGION_IN_LOCALITY = new Set(['US', 'CA', 'AU']);

/**
 * A DHL place as an EventLocation. Express writes "CITY - COUNTRY NAME" in
 * `addressLocality` without a `countryCode`; parcel-de sometimes writes only
 * the country's name there. An explicit `countryCode` always wins.
 */
export function parseDhlAddress(address: DhlAddress | null | undefined): EventLocation | null {
  if (!address) return null;
  const givenCountry = address.countryCode?.trim().toUpperCase() ?? '';
  let country: string | null = /^[A-Z]{2}$/.test(givenCountry) ? givenCountry : null;
  const postalCode = address.postalCode?.trim() || null;
  const locality = address.addressLocality?.replace(/\s+/g, ' ').trim() ?? '';
  let city: string | null = locality || null;
  let region: string | null = null;

  if (locality) {
    const split = /^(.*\S)\s+[-–]\s+([^-–]+)$/.exec(locality);
    const tailCountry = split ? countryCodeFromName(split[2]!) : null;
    if (split && tailCountry) {
      city = split[1]!;
      country ??= tailCountry;
    } else {
      const wholeCountry = countryCodeFromName(locality);
      if (wholeCountry) {
        city = null;
        country ??= wholeCountry;
      }
    }
    const cityAndRegion = city ? /^(.+?),\s*([A-Z]{2})$/.exec(city) : null;
    if (cityAndRegion && country && COUNTRIES_WITH_REGION_IN_LOCALITY.has(country)) {
      city = cityAndRegion[1]!;
      region = cityAndRegion[2]!;
    }
  }

  if (!city && !region && !postalCode && !country) return null;
  return { city, region, postalCode, country };
}
