import { describe, expect, it } from 'vitest';

import { carrierTrackingUrl } from './carrier-links.js';

describe('carrierTrackingUrl', () => {
  it.each([
    ['ups', '1Z5R89390357567127', /^https:\/\/www\.ups\.com\/.*1Z5R89390357567127/],
    ['fedex', '449044304137821', /^https:\/\/www\.fedex\.com\/.*449044304137821/],
    ['usps', '9400111899223100203651', /^https:\/\/tools\.usps\.com\/.*9400111899223100203651/],
    ['dhl', '3318810025', /^https:\/\/www\.dhl\.com\/.*3318810025/],
  ])('should link a %s number to the carrier’s own page', (carrier, number, expected) => {
    expect(carrierTrackingUrl(carrier, number)).toMatch(expected);
  });

  it('should take the data set’s URL for a carrier outside our table', () => {
    expect(carrierTrackingUrl('ontrac', 'C11031500001879')).toMatch(/^https:\/\/.*ontrac.*C11031500001879/i);
  });

  it('should encode a number that is not in any known format', () => {
    expect(carrierTrackingUrl('ups', 'AB 12/3?x')).toBe('https://www.ups.com/track?tracknum=AB%2012%2F3%3Fx');
  });

  it.each([
    ['the sandbox carrier', 'sandbox', 'SBX1000000001'],
    ['an unknown carrier', 'acme-post', '123'],
    ['no carrier', null, '1Z5R89390357567127'],
  ])('should give no link for %s', (_name, carrier, number) => {
    expect(carrierTrackingUrl(carrier, number)).toBeNull();
  });
});
