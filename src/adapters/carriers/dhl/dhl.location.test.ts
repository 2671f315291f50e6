import { describe, expect, it } from 'vitest';

import { countryCodeFromName, parseDhlAddress } from './dhl.location.js';

describe('countryCodeFromName', () => {
  it.each([
    ['GERMANY', 'DE'],
    ['Deutschland', 'DE'],
    // Retired codes share today's names (FX, DD, SU, YU…): the current code must win.
    ['FRANCE', 'FR'],
    ['RUSSIA', 'RU'],
    ['SERBIA', 'RS'],
    ['PHILIPPINES, THE', 'PH'],
    ['NETHERLANDS, THE', 'NL'],
    ['USA', 'US'],
    ['UK', 'GB'],
    ['UNITED KINGDOM', 'GB'],
    ['CHINA MAINLAND', 'CN'],
    ['HONG KONG SAR, CHINA', 'HK'],
    ['KOREA, REPUBLIC OF (SOUTH K.)', 'KR'],
    ['CZECH REPUBLIC, THE', 'CZ'],
    ['TURKEY', 'TR'],
    ['Türkiye', 'TR'],
    ['SOUTH AFRICA', 'ZA'],
    ['BOSNIA AND HERZEGOVINA', 'BA'],
    ['CANARY ISLANDS, THE', 'ES'],
  ])('%s → %s', (name, code) => {
    expect(countryCodeFromName(name)).toBe(code);
  });

  it.each(['HUB', 'LEIPZIG', 'EUROPEAN UNION', 'UNITED NATIONS', ''])('%s is no country', (name) => {
    expect(countryCodeFromName(name)).toBeNull();
  });
});

describe('parseDhlAddress', () => {
  it.each([
    // Express: "CITY - COUNTRY NAME", no countryCode
    [{ addressLocality: 'LEIPZIG - GERMANY' }, { city: 'LEIPZIG', region: null, postalCode: null, country: 'DE' }],
    [{ addressLocality: 'NEW YORK, NY - USA' }, { city: 'NEW YORK', region: 'NY', postalCode: null, country: 'US' }],
    [
      { addressLocality: 'MILAN - MALPENSA - ITALY' },
      { city: 'MILAN - MALPENSA', region: null, postalCode: null, country: 'IT' },
    ],
    [
      { addressLocality: 'HONG KONG - HONG KONG SAR, CHINA' },
      { city: 'HONG KONG', region: null, postalCode: null, country: 'HK' },
    ],
    [
      { addressLocality: 'CINCINNATI HUB - USA' },
      { city: 'CINCINNATI HUB', region: null, postalCode: null, country: 'US' },
    ],
    // parcel-de: sometimes only the country's name
    [{ addressLocality: 'Deutschland' }, { city: null, region: null, postalCode: null, country: 'DE' }],
    // an explicit countryCode wins; a street in the locality stays as given
    [
      { countryCode: 'NL', postalCode: '1043 AG', addressLocality: 'Oderweg 2, AMSTERDAM' },
      { city: 'Oderweg 2, AMSTERDAM', region: null, postalCode: '1043 AG', country: 'NL' },
    ],
    [
      { countryCode: 'US', postalCode: '60446', addressLocality: 'Romeoville, IL' },
      { city: 'Romeoville', region: 'IL', postalCode: '60446', country: 'US' },
    ],
    // a comma and two letters outside US/CA/AU are not a state
    [{ addressLocality: 'PARIS, FR - FRANCE' }, { city: 'PARIS, FR', region: null, postalCode: null, country: 'FR' }],
    // a city without a country stays a city; the country is not guessed
    [{ addressLocality: 'Radefeld' }, { city: 'Radefeld', region: null, postalCode: null, country: null }],
    [{ countryCode: 'de' }, { city: null, region: null, postalCode: null, country: 'DE' }],
  ])('%j', (address, location) => {
    expect(parseDhlAddress(address)).toEqual(location);
  });

  it.each([null, undefined, {}, { countryCode: 'Germany', addressLocality: '  ' }])('%j → null', (address) => {
    expect(parseDhlAddress(address)).toBeNull();
  });
});
