import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { TRACKING_NUMBER_DATA } from './dataset.js';
import { definitionId } from './definitions.js';
import {
  CARRIER_CODES,
  MAX_TRACKING_NUMBER_LENGTH,
  detectCarrier,
  explainTrackingNumber,
  normaliseTrackingNumber,
  trackingNumberDefinitions,
} from './detect.js';
import { SANDBOX_COURIER, sandboxScenario, sandboxTrackingNumber } from './sandbox.js';

type Example = { key: string; carrier: string; number: string };

const valid: Example[] = [];
const invalid: Example[] = [];
for (const courier of TRACKING_NUMBER_DATA) {
  for (const spec of courier.tracking_numbers) {
    const key = `${courier.courier_code}/${definitionId(spec)}`;
    for (const number of spec.test_numbers?.valid ?? []) valid.push({ key, carrier: courier.courier_code, number });
    for (const number of spec.test_numbers?.invalid ?? []) invalid.push({ key, carrier: courier.courier_code, number });
  }
}

/**
 * Dataset test numbers that are valid for their own format, but where another carrier's format
 * is valid too and ranks first (see the ranking rules in detect.ts).
 */
const RANKED_FIRST_ELSEWHERE: Record<string, string> = {
  '287809468872': 'fedex', // Purolator (12) and FedEx Express (12) both pass; equal specificity, FedEx precedes
  '320610804900': 'fedex', // same
  JFV247545960: 'dhl', // Purolator (alpha + 9) and DHL Express (Piece ID), neither has a check digit; `J` is fixed for DHL
};

/** Listed as invalid for one format of a courier, but valid for another format of the same courier. */
const VALID_FOR_A_SIBLING_FORMAT: Record<string, string> = {
  '331426749957': 'purolator/purolator_numeric', // an invalid *alpha* number, and a valid Purolator (12)
};

describe('tracking_number_data 2.0.0 as vendored', () => {
  it('should hold the counts the research note gives', () => {
    const definitions = TRACKING_NUMBER_DATA.flatMap((courier) => courier.tracking_numbers);
    expect(TRACKING_NUMBER_DATA).toHaveLength(18);
    expect(definitions).toHaveLength(39);
    expect(definitions.filter((spec) => spec.id === undefined)).toHaveLength(4);
    expect(valid).toHaveLength(192);
    expect(invalid).toHaveLength(88);
    const algorithms: Record<string, number> = {};
    for (const spec of definitions) {
      const name = spec.validation?.checksum?.name;
      if (name) algorithms[name] = (algorithms[name] ?? 0) + 1;
    }
    expect(algorithms).toEqual({
      mod10: 12,
      sum_product_with_weightings_and_modulo: 4,
      luhn: 3,
      mod_37_36: 2,
      mod7: 1,
      s10: 1,
    });
  });

  it('should expose each courier file’s courier_code, plus sandbox, as the carrier codes', () => {
    expect(CARRIER_CODES).toEqual([
      'amazon',
      'canada_post',
      'canpar',
      'dhl',
      'dpd',
      'fedex',
      'gofo',
      'landmark',
      'lasership',
      'old_dominion',
      'ontrac',
      'purolator',
      's10',
      'speedee',
      'ups',
      'usps',
      'yodel',
      'yunexpress',
      'sandbox',
    ]);
  });

  it('should derive ids for the definitions that have none, as the reference implementation does', () => {
    const keys = trackingNumberDefinitions().map((definition) => definition.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'lasership/lasership-1ls7-18',
        'old_dominion/old-dominion',
        'old_dominion/old-dominion-guaranteed-shipment',
        'ups/ups-waybill',
      ]),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('detectCarrier on the dataset test numbers', () => {
  it.each(valid)('should accept $number as $key', ({ key, carrier, number }) => {
    const own = explainTrackingNumber(number).find((match) => match.key === key);
    expect(own?.valid).toBe(true);

    const result = detectCarrier(number);
    expect(result.valid).toBe(true);
    expect(result.candidates).toContainEqual(expect.objectContaining({ carrier, valid: true }));
    expect(result.carrier).toBe(RANKED_FIRST_ELSEWHERE[number.trim()] ?? carrier);
  });

  it.each(invalid)('should not accept $number as $key', ({ key, carrier, number }) => {
    const own = explainTrackingNumber(number).find((match) => match.key === key);
    expect(own?.valid ?? false).toBe(false);

    const sameCarrier = detectCarrier(number).candidates.filter((candidate) => candidate.carrier === carrier);
    if (VALID_FOR_A_SIBLING_FORMAT[number] === undefined) {
      expect(sameCarrier.filter((candidate) => candidate.valid)).toEqual([]);
    } else {
      const sibling = explainTrackingNumber(number).find((match) => match.valid && match.carrier === carrier);
      expect(sibling?.key).toBe(VALID_FOR_A_SIBLING_FORMAT[number]);
    }
  });

  it('should rank every valid number first for its own carrier except the known collisions', () => {
    const elsewhere = valid
      .filter(({ carrier, number }) => detectCarrier(number).carrier !== carrier)
      .map(({ number }) => number);
    expect(elsewhere.sort()).toEqual(Object.keys(RANKED_FIRST_ELSEWHERE).sort());
  });
});

describe('detectCarrier on the sandbox carrier', () => {
  const spec = SANDBOX_COURIER.tracking_numbers[0]!;

  it.each(spec.test_numbers?.valid ?? [])('should accept %s', (number) => {
    expect(detectCarrier(number)).toMatchObject({ carrier: 'sandbox', valid: true });
  });

  it.each(spec.test_numbers?.invalid ?? [])('should not accept %s', (number) => {
    const sandbox = detectCarrier(number).candidates.filter((candidate) => candidate.carrier === 'sandbox');
    expect(sandbox.filter((candidate) => candidate.valid)).toEqual([]);
  });

  it('should prefer the sandbox over Purolator alpha + 9 for SBX + 9 digits, its fixed prefix being more specific', () => {
    expect(detectCarrier('SBX100000001')).toMatchObject({
      carrier: 'sandbox',
      valid: true,
      service: 'Sandbox scenario 1: delivered',
    });
  });

  it('should recognise every generated sandbox number as sandbox', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 999_999_999 }), (scenario, sequence) => {
        const result = detectCarrier(sandboxTrackingNumber(scenario, sequence));
        return result.carrier === 'sandbox' && result.valid;
      }),
    );
  });

  it('should build sandbox numbers from a scenario and a sequence and read the scenario back', () => {
    expect(sandboxTrackingNumber(1, 0)).toBe('SBX100000000');
    expect(sandboxTrackingNumber(7, 42)).toBe('SBX700000042');
    expect(sandboxScenario('sbx 7 0000 0042')).toBe(7);
    expect(sandboxScenario('SBX800000000')).toBeNull();
    expect(() => sandboxTrackingNumber(0, 1)).toThrow(RangeError);
    expect(() => sandboxTrackingNumber(1, -1)).toThrow(RangeError);
    expect(() => sandboxTrackingNumber(1, 1.5)).toThrow(RangeError);
  });
});

describe('detectCarrier on real numbers (research note §2.3)', () => {
  it.each([
    ['1Z1442YY7229014688', 'ups'],
    ['1Z1202R66698804005', 'ups'],
    ['1ZA82D672031716786', 'ups'],
    ['776094337676', 'fedex'],
    ['738488882438', 'fedex'],
    ['122816215025810', 'fedex'],
    ['9261290289104185136058', 'usps'],
    ['9202290317456200135409', 'usps'],
    ['9400109104250532908587', 'usps'],
    // UPS Mail Innovations: an IMpb barcode, which the dataset calls USPS (the store's carrier name should win)
    ['92612926729001553084952221', 'usps'],
    ['7777777770', 'dhl'],
    // Known gap: a DHL Paket (DE) 20-digit number passes as USPS 20
    ['00340434292135100124', 'usps'],
    // Known gaps: no valid match
    ['470800204932', null],
    ['02399989320920003663', null],
    // Weak: any 14 digits are DHL eCommerce (no check digit)
    ['12345678901234', 'dhl'],
    // About one random 12-digit string in ten passes the FedEx Express check
    ['123456789012', 'fedex'],
  ])('should detect %s as %s', (number, carrier) => {
    expect(detectCarrier(number).carrier).toBe(carrier);
  });
});

describe('detectCarrier ranking', () => {
  it('should put a valid number with a check digit before a valid one without', () => {
    // UPS Waybill (mod10 passes) and Amazon International (no check digit) both accept it.
    const result = detectCarrier('A1234567895');
    expect(result.carrier).toBe('ups');
    expect(result.candidates).toEqual([
      { carrier: 'ups', name: 'UPS Waybill', valid: true, checksumVerified: true },
      { carrier: 'amazon', name: 'Amazon International', valid: true, checksumVerified: false },
    ]);
  });

  it('should put a valid number without a check digit before one whose check digit fails', () => {
    const result = detectCarrier('A1234567890');
    expect(result.carrier).toBe('amazon');
    expect(result.candidates).toEqual([
      { carrier: 'amazon', name: 'Amazon International', valid: true, checksumVerified: false },
      { carrier: 'ups', name: 'UPS Waybill', valid: false, checksumVerified: false },
    ]);
  });

  it('should prefer the more specific format when two check digits pass', () => {
    // Old Dominion fixes a 3-digit prefix, DHL Express fixes nothing.
    expect(detectCarrier('78045768393').candidates.map((candidate) => candidate.carrier)).toEqual([
      'old_dominion',
      'dhl',
    ]);
    // USPS IMpb C fixes the application identifier; FedEx Express (34) fixes nothing.
    expect(detectCarrier('4201028200009261290113185417468510').candidates.map((c) => c.name)).toEqual([
      'USPS IMpb C',
      'FedEx Express (34)',
    ]);
  });

  it('should fall back to carrier precedence between equally specific formats', () => {
    expect(detectCarrier('287809468872').candidates.map((candidate) => candidate.carrier)).toEqual([
      'fedex',
      'purolator',
    ]);
  });

  it('should report nothing valid, and keep the failed formats as candidates, when every check digit fails', () => {
    const result = detectCarrier('1Z5R89390357567128');
    expect(result).toEqual({
      input: '1Z5R89390357567128',
      carrier: null,
      valid: false,
      candidates: [
        { carrier: 'ups', name: 'UPS', valid: false, checksumVerified: false, service: 'UPS United States Ground' },
      ],
    });
  });

  it('should require the S10 issuing country to be a known UPU member', () => {
    expect(detectCarrier('RB123456785GB')).toMatchObject({ carrier: 's10', valid: true });
    const unknownCountry = detectCarrier('RB123456785XX');
    expect(unknownCountry.carrier).toBeNull();
    expect(unknownCountry.candidates).toEqual([
      { carrier: 's10', name: 'S10', valid: false, checksumVerified: true, service: 'Letter Post Registered' },
    ]);
  });
});

describe('normalisation', () => {
  it.each([
    ['1z5r89390357567127', '1Z5R89390357567127'],
    [' 1Z 5R8 939 0357 5671 27 ', '1Z5R89390357567127'],
    ['1Z\t5R89\u00a03903\u200b57567127\n', '1Z5R89390357567127'],
    ['1LS7119013618127\u20131', '1LS7119013618127-1'],
  ])('should normalise %j to %s', (input, expected) => {
    expect(normaliseTrackingNumber(input)).toBe(expected);
  });

  it.each([
    '1z5r89390357567127',
    '1Z 5R8 939 0357 5671 27',
    '  1z5r8 93903 57567127  ',
    '1Z-5R8-939-0357-5671-27',
    '1Z–5R89–3903–5756–7127',
  ])('should detect %j as UPS', (input) => {
    expect(detectCarrier(input)).toMatchObject({
      input,
      carrier: 'ups',
      valid: true,
      service: 'UPS United States Ground',
    });
  });

  it('should keep a dash that is part of the format', () => {
    expect(detectCarrier('1LS7119013618127-1')).toMatchObject({ carrier: 'lasership', valid: true });
    expect(detectCarrier('1LS7119013618127-2').carrier).toBeNull();
  });

  it('should detect the same thing whatever the spacing and case', () => {
    const numbers = valid.map(({ number }) => normaliseTrackingNumber(number));
    fc.assert(
      fc.property(
        fc.constantFrom(...numbers),
        fc.array(fc.constantFrom(' ', '  ', '\t'), { minLength: 40, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (number, gaps, lower) => {
          const mangled = [...number]
            .map((char, index) => (lower[index] ? char.toLowerCase() : char) + (index % 3 === 0 ? gaps[index] : ''))
            .join('');
          const { input: _a, ...expected } = detectCarrier(number);
          const { input: _b, ...actual } = detectCarrier(mangled);
          expect(actual).toEqual(expected);
        },
      ),
    );
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a word', 'hello'],
    ['a dash', '-'],
    ['dashes', '----'],
    ['10 000 letters', 'x'.repeat(10_000)],
    ['digits longer than any format', '1'.repeat(MAX_TRACKING_NUMBER_LENGTH + 1)],
  ])('should find nothing in %s', (_label, input) => {
    expect(detectCarrier(input)).toEqual({ input, carrier: null, valid: false, candidates: [] });
  });

  it('should never throw, and carrier is null exactly when nothing is valid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9A-Z -]{8,40}$/)), (input) => {
        const result = detectCarrier(input);
        expect(result.valid).toBe(result.carrier !== null);
        if (result.carrier !== null) {
          expect(CARRIER_CODES).toContain(result.carrier);
          expect(result.candidates[0]).toMatchObject({ carrier: result.carrier, valid: true });
        } else {
          expect(result.candidates.every((candidate) => !candidate.valid)).toBe(true);
        }
      }),
    );
  });
});

describe('detectCarrier output', () => {
  it('should serialise with the keys in CLI order and omit an absent service', () => {
    expect(JSON.stringify(detectCarrier('1Z5R89390357567127'))).toBe(
      '{"input":"1Z5R89390357567127","carrier":"ups","valid":true,"service":"UPS United States Ground",' +
        '"candidates":[{"carrier":"ups","name":"UPS","valid":true,"checksumVerified":true,"service":"UPS United States Ground"}]}',
    );
    expect(JSON.stringify(detectCarrier('776094337676'))).toBe(
      '{"input":"776094337676","carrier":"fedex","valid":true,' +
        '"candidates":[{"carrier":"fedex","name":"FedEx Express (12)","valid":true,"checksumVerified":true}]}',
    );
  });

  it.each([
    ['9261290289104185136058', 'Parcel Select'],
    ['RB123456785GB', 'Letter Post Registered'],
    ['EA123456785US', 'EMS'],
    ['K1506235620', 'UPS Ground'],
    ['0307 1790 0005 2348 3741', 'Delivery Confirmation'],
    ['00 81827 0998 0000 0200 33 350 276 C', 'AM0'],
  ])('should name the service of %s as %s', (number, service) => {
    expect(detectCarrier(number).service).toBe(service);
  });
});

describe('explainTrackingNumber', () => {
  it('should resolve the additional look-ups', () => {
    const [s10] = explainTrackingNumber('RB123456785GB');
    expect(s10?.lookups.Courier).toMatchObject({ country: 'Great Britain', courier: 'Royal Mail Group plc' });
    expect(s10?.groups).toMatchObject({
      ServiceType: 'RB',
      SerialNumber: '12345678',
      CheckDigit: '5',
      CountryCode: 'GB',
    });

    const [dpd] = explainTrackingNumber('00 81827 0998 0000 0200 33 350 276 C');
    expect(dpd?.lookups['Country Code']).toMatchObject({ country_short_code: 'DE', country: 'Deutschland' });
    expect(dpd?.lookups['Service Type']).toEqual({ matches: '350', name: 'AM0', description: 'DPD 8:30' });
    // A service code missing from the table is simply not named.
    const [unlisted] = explainTrackingNumber('0081 827 0998 0000 0200 45 327 276 N');
    expect(unlisted).toMatchObject({ valid: true, groups: { ServiceType: '327' } });
    expect(unlisted?.lookups['Service Type']).toBeUndefined();
    expect(unlisted?.service).toBeUndefined();

    const [sscc] = explainTrackingNumber('00 0123 4500 0000 0027');
    expect(sscc).toMatchObject({
      key: 'fedex/fedex_ground_sscc_18',
      lookups: { 'Container Type': { name: 'case/carton' } },
    });
  });

  it('should apply prepend_if before checking the serial', () => {
    const [ontrac] = explainTrackingNumber('C11031500001879');
    expect(ontrac).toMatchObject({ key: 'ontrac/ontrac_c', serialNumber: '41103150000187', valid: true });

    const legacy = explainTrackingNumber('7196 9010 7560 0307 7385').find((match) => match.key === 'usps/usps_legacy');
    expect(legacy).toMatchObject({ serialNumber: '917196901075600307738', valid: true });

    const withAi = explainTrackingNumber('9101 1234 5678 9000 0000 13').find(
      (match) => match.key === 'usps/usps_legacy',
    );
    expect(withAi).toMatchObject({ serialNumber: '910112345678900000001', valid: true });
  });

  it('should report the expected check digit and fill in the tracking URL', () => {
    const [ups] = explainTrackingNumber('1z5r89390357567128');
    expect(ups).toMatchObject({
      number: '1Z5R89390357567128',
      checksum: 'mod10',
      checkDigit: '8',
      expectedCheckDigit: '7',
      trackingUrl: 'https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567128',
    });
  });

  it('should try exactly the formats that can match, whatever the length', () => {
    const bruteForce = (input: string): string[] => {
      const normalised = normaliseTrackingNumber(input);
      const forms = new Set([normalised, normalised.replaceAll('-', '')]);
      return trackingNumberDefinitions()
        .filter((definition) => [...forms].some((form) => form !== '' && definition.pattern.test(form)))
        .map((definition) => definition.key)
        .sort();
    };
    const viaIndex = (input: string): string[] =>
      explainTrackingNumber(input)
        .map((match) => match.key)
        .sort();
    for (const { number } of [...valid, ...invalid]) expect(viaIndex(number), number).toEqual(bruteForce(number));
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[0-9A-Z-]{1,60}$/), fc.stringMatching(/^[0-9]{8,36}$/)), (input) => {
        expect(viaIndex(input)).toEqual(bruteForce(input));
      }),
      { numRuns: 2000 },
    );
    // A 34-digit number written in groups is longer than any format until its dashes go.
    expect(detectCarrier('1001-9213-3425-0001-0003-0077-9017-9726-97').carrier).toBe('fedex');
  });

  it('should detect a number in a few microseconds', () => {
    const numbers = valid.map(({ number }) => number);
    const rounds = 50;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) for (const number of numbers) detectCarrier(number);
    const microseconds = ((performance.now() - started) * 1000) / (rounds * numbers.length);
    // ~5 µs on a laptop; the bound only catches an accidental regex recompile or backtracking blow-up.
    expect(microseconds).toBeLessThan(200);
  });
});
