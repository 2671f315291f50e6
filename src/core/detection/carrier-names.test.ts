import { describe, expect, it } from 'vitest';

import { carrierAliases, foldCarrierName, normaliseCarrierName } from './carrier-names.js';
import { CARRIER_CODES } from './detect.js';

describe('normaliseCarrierName', () => {
  it.each([
    // as stores and 3PLs send them
    ['UPS', 'ups'],
    ['ups', 'ups'],
    ['U.P.S.', 'ups'],
    ['United Parcel Service', 'ups'],
    ['ups ground', 'ups'],
    ['UPS_GROUND', 'ups'],
    ['UPS® Ground', 'ups'],
    ['UPS Mail Innovations', 'ups'],
    ['UPS SurePost', 'ups'],
    ['UPSN', 'ups'],
    ['FedEx', 'fedex'],
    ['FedEx Ground', 'fedex'],
    ['fedex_ground', 'fedex'],
    ['FEDEX_2_DAY', 'fedex'],
    ['Fed Ex', 'fedex'],
    ['Fed-Ex Home Delivery', 'fedex'],
    ['Federal Express', 'fedex'],
    ['FedEx SmartPost', 'fedex'],
    ['FDXG', 'fedex'],
    ['usps', 'usps'],
    ['USPS Priority Mail', 'usps'],
    ['U.S. Postal Service', 'usps'],
    ['US Postal Service', 'usps'],
    ['United States Postal Service', 'usps'],
    ['Stamps.com', 'usps'],
    ['Priority Mail Express', 'usps'],
    ['DHL', 'dhl'],
    ['DHL Express', 'dhl'],
    ['DHL eCommerce', 'dhl'],
    ['DHL E-Commerce', 'dhl'],
    ['dhl_global_mail', 'dhl'],
    ['Canada Post', 'canada_post'],
    ['Postes Canada', 'canada_post'],
    ['canada_post', 'canada_post'],
    ['CanadaPost', 'canada_post'],
    ['Amazon Logistics', 'amazon'],
    ['Amazon Logistics US', 'amazon'],
    ['Amazon Shipping', 'amazon'],
    ['AMZL', 'amazon'],
    ['OnTrac', 'ontrac'],
    ['On Trac', 'ontrac'],
    ['LaserShip', 'lasership'],
    ['Purolator', 'purolator'],
    ['Canpar Express', 'canpar'],
    ['DPD UK', 'dpd'],
    ['Yodel', 'yodel'],
    ['YunExpress', 'yunexpress'],
    ['Yun Express', 'yunexpress'],
    ['GOFO Express', 'gofo'],
    ['Landmark Global', 'landmark'],
    ['Old Dominion Freight Line', 'old_dominion'],
    ['ODFL', 'old_dominion'],
    ['Spee-Dee Delivery', 'speedee'],
    ['S10', 's10'],
    ['Waymark Sandbox', 'sandbox'],
    ['sandbox', 'sandbox'],
  ])('should read %j as %s', (name, code) => {
    expect(normaliseCarrierName(name)).toBe(code);
  });

  it.each([
    '',
    '   ',
    'Other',
    'Royal Mail',
    'La Poste',
    'Upsilon Freight',
    'Fedora Couriers',
    'Shipped',
    'Post',
    'Express',
  ])('should not recognise %j', (name) => {
    expect(normaliseCarrierName(name)).toBeNull();
  });

  it('should only ever return a carrier code detection also uses', () => {
    const codes = new Set(carrierAliases().values());
    expect([...codes].filter((code) => !CARRIER_CODES.includes(code))).toEqual([]);
    expect(CARRIER_CODES.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('should know every courier name in the dataset', () => {
    expect(normaliseCarrierName('United States Postal Service')).toBe('usps');
    expect(normaliseCarrierName('S10 International Standard')).toBe('s10');
    expect(normaliseCarrierName('Landmark Global LTN')).toBe('landmark');
    expect(normaliseCarrierName('Old Dominion Freight Line')).toBe('old_dominion');
  });
});

describe('foldCarrierName', () => {
  it.each([
    ['U.S. Postal-Service', 'us postal service'],
    ['  FEDEX_GROUND  ', 'fedex ground'],
    ['Société Générale & Co', 'societe generale and co'],
    ["Macy's", 'macys'],
  ])('should fold %j to %j', (name, folded) => {
    expect(foldCarrierName(name)).toBe(folded);
  });
});
