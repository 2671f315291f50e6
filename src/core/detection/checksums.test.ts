import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  compileChecksum,
  luhnCheckDigit,
  mod10CheckDigit,
  mod3736CheckDigit,
  mod7CheckDigit,
  s10CheckDigit,
  weightedModuloCheckDigit,
} from './checksums.js';

// Every expected value below was worked out by hand; the comment shows the arithmetic.
describe('mod10CheckDigit', () => {
  it.each([
    // 1+2 = 3 → 10-3
    ['12', {}, '7'],
    // sum 0 → 0
    ['000', {}, '0'],
    // letter: 'A' = (65-3) mod 10 = 2 → 8
    ['A', {}, '8'],
    // UPS 1Z5R89390357567127, evens ×1 odds ×2: R = (82-3) mod 10 = 9;
    // evens 5+8+3+0+5+5+7+2 = 35, odds (9+9+9+3+7+6+1)×2 = 88, 123 → 7
    ['5R8939035756712', { evensMultiplier: 1, oddsMultiplier: 2 }, '7'],
    // Canada Post 0073938000549297, evens ×3 odds ×1: (0+7+9+8+0+5+9+9)×3 = 141, odds 12, 153 → 7
    ['007393800054929', { evensMultiplier: 3, oddsMultiplier: 1 }, '7'],
    // USPS IMpb N 9400111206206406260787 reversed: evens (8+0+2+0+6+2+0+1+1+0+9)×3 = 87, odds 36, 123 → 7
    ['940011120620640626078', { evensMultiplier: 3, oddsMultiplier: 1, reverse: true }, '7'],
    // reading order only matters for an even length: '1234' forwards (1+3)×3 + 2+4 = 18 → 2,
    // reversed '4321' (4+2)×3 + 3+1 = 22 → 8
    ['1234', { evensMultiplier: 3, oddsMultiplier: 1, reverse: false }, '2'],
    ['1234', { evensMultiplier: 3, oddsMultiplier: 1, reverse: true }, '8'],
    // modulo other than 10: 1+2 = 3, 7-3
    ['12', { modulo: 7 }, '4'],
  ])('should give serial %s with %o the check digit %s', (serial, options, expected) => {
    expect(mod10CheckDigit(serial, options)).toBe(expected);
  });

  it.each(['', '12-3', '1a'])('should refuse the serial %j', (serial) => {
    expect(mod10CheckDigit(serial)).toBeNull();
  });
});

describe('mod7CheckDigit', () => {
  it.each([
    ['100', '2'], // 100 = 14×7 + 2
    ['331881002', '5'], // DHL 3318810025: 331881002 = 47411571×7 + 5
    ['777777777', '0'], // DHL 7777777770
    ['7389105114', '6'], // DHL 73891051146: 7389105114 = 1055586444×7 + 6
  ])('should give serial %s the check digit %s', (serial, expected) => {
    expect(mod7CheckDigit(serial)).toBe(expected);
  });

  it('should agree with BigInt arithmetic beyond 2^53', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,40}$/), (serial) => {
        return mod7CheckDigit(serial) === String(BigInt(serial) % 7n);
      }),
    );
  });

  it('should refuse non-digits', () => {
    expect(mod7CheckDigit('12A')).toBeNull();
    expect(mod7CheckDigit('')).toBeNull();
  });
});

describe('s10CheckDigit', () => {
  it.each([
    // 1×8+2×6+3×4+4×2+5×3+6×5+7×9+8×7 = 204, 204 mod 11 = 6 → 11-6
    ['12345678', '5'],
    // remainder 0 → 5
    ['00000000', '5'],
    // 1×8 + 2×2 = 12, remainder 1 → 0
    ['10020000', '0'],
    // 1×8 = 8 → 11-8
    ['10000000', '3'],
  ])('should give serial %s the check digit %s', (serial, expected) => {
    expect(s10CheckDigit(serial)).toBe(expected);
  });

  it('should refuse non-digits', () => {
    expect(s10CheckDigit('1234567A')).toBeNull();
  });
});

describe('weightedModuloCheckDigit', () => {
  const fedex12 = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];

  it.each([
    // FedEx 986578788855: 27+8+42+15+7+56+21+8+56+24+5 = 269, 269 mod 11 = 5, mod 10 = 5
    ['98657878885', fedex12, 11, 10, '5'],
    // 5+5 = 10, mod 11 = 10, mod 10 = 0
    ['55', [1, 1], 11, 10, '0'],
    // a position without a weight counts 0: 9×1 + 9×0
    ['99', [1], 11, 10, '9'],
  ])(
    'should give serial %s with weights %j, mod %i then %i, the check digit %s',
    (serial, weights, m1, m2, expected) => {
      expect(weightedModuloCheckDigit(serial, weights, m1, m2)).toBe(expected);
    },
  );
});

describe('luhnCheckDigit', () => {
  it.each([
    // the textbook 79927398713: from the right 1→2, 7, 8→16→7, 9, 3→6, 7, 2→4, 9, 9→18→9, 7 = 67 → 3
    ['7992739871', '3'],
    // Old Dominion 07209562763: 6→12→3, 7, 2→4, 6, 5→10→1, 9, 0, 2, 7→14→5, 0 = 37 → 3
    ['0720956276', '3'],
    ['0', '0'],
    ['5', '9'], // 5→10→1 → 9
  ])('should give serial %s the check digit %s', (serial, expected) => {
    expect(luhnCheckDigit(serial)).toBe(expected);
  });
});

describe('mod3736CheckDigit', () => {
  it.each([
    // 36+0 = 36, ×2 = 72 → 72-37 = 35; 37-35 = 2
    ['0', '2'],
    // 36+10 = 46 → 10, ×2 = 20; 37-20 = 17 → H
    ['A', 'H'],
    // 36+35 = 71 → 35, ×2 = 70 → 33; 37-33 = 4
    ['Z', '4'],
    // 36+19 = 55 → 19, ×2 = 38 → 1; 37-1 = 36 → 0
    ['J', '0'],
    // two steps: '0' leaves 35; 35+1 = 36, ×2 = 72 → 35; 37-35 = 2
    ['01', '2'],
    // DPD (14) test numbers
    ['09980000020033', 'F'],
    ['09980000020034', 'D'],
  ])('should give serial %s the check character %s', (serial, expected) => {
    expect(mod3736CheckDigit(serial)).toBe(expected);
  });

  it('should refuse characters outside 0-9A-Z', () => {
    expect(mod3736CheckDigit('0a')).toBeNull();
  });
});

describe('compileChecksum', () => {
  it('should apply the dataset defaults for settings a file leaves out', () => {
    expect(compileChecksum({ name: 'mod10' })('12')).toBe('7');
    expect(compileChecksum({ name: 'mod7' })('100')).toBe('2');
    expect(compileChecksum({ name: 's10' })('12345678')).toBe('5');
    expect(compileChecksum({ name: 'luhn' })('7992739871')).toBe('3');
    expect(compileChecksum({ name: 'mod_37_36' })('A')).toBe('H');
  });

  it('should read the settings a file gives', () => {
    const check = compileChecksum({
      name: 'mod10',
      evens_multiplier: 1,
      odds_multiplier: 2,
      modulo: 10,
      reverse: false,
    });
    expect(check('5R8939035756712')).toBe('7');
  });

  it('should fail loudly on an unknown algorithm or missing settings', () => {
    expect(() => compileChecksum({ name: 'mod11' })).toThrow(/unknown checksum algorithm: mod11/);
    expect(() => compileChecksum({ name: 'sum_product_with_weightings_and_modulo', weightings: [1] })).toThrow(
      /needs weightings, modulo1 and modulo2/,
    );
  });

  it('should catch every single-digit error with mod10, luhn and mod_37_36', () => {
    const algorithms = [
      (serial: string) => mod10CheckDigit(serial, { evensMultiplier: 3, oddsMultiplier: 1 }),
      (serial: string) => luhnCheckDigit(serial),
      (serial: string) => mod3736CheckDigit(serial),
    ];
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{2,30}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (serial, position, shift) => {
          const at = position % serial.length;
          const changed = serial.slice(0, at) + String((Number(serial[at]) + shift) % 10) + serial.slice(at + 1);
          return algorithms.every((check) => check(serial) !== check(changed));
        },
      ),
    );
  });
});
