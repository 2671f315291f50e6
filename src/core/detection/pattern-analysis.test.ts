import { describe, expect, it } from 'vitest';

import { analysePattern } from './pattern-analysis.js';
import { patternSource } from './definitions.js';
import { trackingNumberDefinitions } from './detect.js';

describe('analysePattern', () => {
  it.each([
    // pattern, fixed characters, min length, max length
    ['([0-9]\\s*){12}', 0, 12, 12],
    ['\\s*1\\s*Z\\s*(?<SerialNumber>(?:[A-Z0-9]\\s*){15})(?<CheckDigit>[0-9]\\s*)', 2, 18, 18],
    ['(?:GM|LX|RX)\\s*(?<SerialNumber>[0-9A-Z\\s]{10,39})', 2, 12, 41],
    // alternation: the weakest branch for fixed and min, the longest for max
    ['(7\\s*7\\s*[78]\\s*|0\\s*7\\s*2\\s*|7\\s*8\\s*0\\s*)([0-9]\\s*){7}', 2, 10, 10],
    ['(AB|CDEF)', 2, 2, 4],
    // optional groups count nothing fixed and nothing towards the minimum
    ['(?:(?<R>4\\s*2\\s*0\\s*)(?<Zip>([0-9]\\s*){5}))?9\\s*4\\s*', 2, 2, 10],
    ['A{3}B{2,5}C{0,}', 5, 5, Infinity],
    ['AB?C*D+', 2, 2, Infinity],
    ['A{2,3}?', 2, 2, 3],
    // lookarounds and word boundaries are zero-width
    ['(?=ABC)X(?!Y)(?<=X)\\bZ\\b', 2, 2, 2],
    ['\\s*W\\s*M\\s*K\\s*(?<SerialNumber>([0-9]\\s*){9})(?<CheckDigit>[0-9]\\s*)', 3, 13, 13],
    ['1\\s*L\\s*S\\s*7\\s*[12]([0-9]){6}-\\s*1\\s*', 6, 13, 13],
    ['\\-\\d\\.', 2, 3, 3],
    ['[\\]A]B.', 1, 3, 3],
    ['^AB$', 2, 2, 2],
  ])('should read %s as %i fixed characters, %i to %s long', (pattern, fixedCharacters, minLength, maxLength) => {
    expect(analysePattern(pattern)).toEqual({ fixedCharacters, minLength, maxLength });
  });

  it.each(['(AB', 'AB)', '[AB', '(?<Name AB)'])('should reject the malformed pattern %s', (pattern) => {
    expect(() => analysePattern(pattern)).toThrow(/in pattern/);
  });

  it('should give the length of every dataset test number within its format’s range', () => {
    for (const definition of trackingNumberDefinitions()) {
      const { minLength, maxLength } = analysePattern(patternSource(definition.spec));
      for (const number of definition.spec.test_numbers?.valid ?? []) {
        const length = number.replace(/\s/g, '').length;
        expect(length, `${definition.key} ${number}`).toBeGreaterThanOrEqual(minLength);
        expect(length, `${definition.key} ${number}`).toBeLessThanOrEqual(maxLength);
      }
    }
  });
});
