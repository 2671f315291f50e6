/**
 * What a tracking-number pattern demands of the normalised number (no whitespace):
 *
 * - `fixedCharacters`: the fewest fixed characters (letters, digits, `-` outside character
 *   classes) any match contains. `1Z…` has 2, `(?:GM|LX|…)…` has 2, twelve `[0-9]` have 0.
 *   Ranks two formats that both accept a number: more fixed characters is the more specific claim.
 * - `minLength` / `maxLength`: the lengths a match can have, so detection only runs the
 *   patterns that can match a number of a given length.
 *
 * A small parser for the regex subset the dataset uses: groups (capturing, named,
 * non-capturing; lookarounds are zero-width), alternation (fixed and minimum take the weakest
 * branch, maximum the longest), character classes, escapes (`\d`, `\w`, `\s`… one character,
 * `\b`/`\B` zero-width, an escaped literal is fixed), `.`, `^`, `$`, and quantifiers (`?`, `*`,
 * `+`, `{n}`, `{n,}`, `{n,m}`, lazy or not). The `\s*` after every character in the dataset is
 * dropped first: normalised numbers hold no whitespace.
 */
export interface PatternShape {
  fixedCharacters: number;
  minLength: number;
  maxLength: number;
}

const ZERO: PatternShape = { fixedCharacters: 0, minLength: 0, maxLength: 0 };
const ONE_CHARACTER: PatternShape = { fixedCharacters: 0, minLength: 1, maxLength: 1 };
const FIXED_CHARACTER: PatternShape = { fixedCharacters: 1, minLength: 1, maxLength: 1 };

export function analysePattern(pattern: string): PatternShape {
  const source = pattern.replaceAll('\\s*', '');
  let index = 0;
  const fail = (problem: string): never => {
    throw new Error(`${problem} in pattern ${pattern}`);
  };

  const alternation = (): PatternShape => {
    const shape = { ...sequence() };
    while (source[index] === '|') {
      index++;
      const branch = sequence();
      shape.fixedCharacters = Math.min(shape.fixedCharacters, branch.fixedCharacters);
      shape.minLength = Math.min(shape.minLength, branch.minLength);
      shape.maxLength = Math.max(shape.maxLength, branch.maxLength);
    }
    return shape;
  };

  const sequence = (): PatternShape => {
    const shape = { ...ZERO };
    while (index < source.length && source[index] !== '|' && source[index] !== ')') {
      const part = atom();
      const [least, most] = repetition();
      shape.fixedCharacters += part.fixedCharacters * least;
      shape.minLength += part.minLength * least;
      shape.maxLength += part.maxLength === 0 ? 0 : part.maxLength * most;
    }
    return shape;
  };

  const atom = (): PatternShape => {
    const char = source[index];
    if (char === '(') {
      index++;
      let zeroWidth = false;
      if (source.startsWith('?:', index)) index += 2;
      else if (source.startsWith('?=', index) || source.startsWith('?!', index)) {
        index += 2;
        zeroWidth = true;
      } else if (source.startsWith('?<=', index) || source.startsWith('?<!', index)) {
        index += 3;
        zeroWidth = true;
      } else if (source.startsWith('?<', index)) {
        const end = source.indexOf('>', index);
        if (end < 0) fail('unterminated group name');
        index = end + 1;
      }
      const inner = alternation();
      if (source[index] !== ')') fail('unbalanced parenthesis');
      index++;
      return zeroWidth ? ZERO : inner;
    }
    if (char === '[') {
      index++;
      if (source[index] === '^') index++;
      if (source[index] === ']') index++;
      while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
      if (index >= source.length) fail('unterminated character class');
      index++;
      return ONE_CHARACTER;
    }
    if (char === '\\') {
      const escaped = source[index + 1] ?? '';
      index += 2;
      if (escaped === 'b' || escaped === 'B') return ZERO;
      return /[dDwWsS]/.test(escaped) ? ONE_CHARACTER : FIXED_CHARACTER;
    }
    index++;
    if (char === '^' || char === '$') return ZERO;
    return char === '.' ? ONE_CHARACTER : FIXED_CHARACTER;
  };

  /** The quantifier after an atom, as [least, most] repetitions; [1, 1] when there is none. */
  const repetition = (): [number, number] => {
    const char = source[index];
    let bounds: [number, number];
    if (char === '*') bounds = [0, Infinity];
    else if (char === '+') bounds = [1, Infinity];
    else if (char === '?') bounds = [0, 1];
    else if (char === '{') {
      const quantifier = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
      if (!quantifier) return [1, 1]; // a literal `{`, which the dataset never uses
      const least = Number(quantifier[1]);
      const most = quantifier[2] === undefined ? least : quantifier[3] ? Number(quantifier[3]) : Infinity;
      index += quantifier[0].length - 1;
      bounds = [least, most];
    } else return [1, 1];
    index++;
    if (source[index] === '?') index++; // lazy modifier
    return bounds;
  };

  const shape = alternation();
  if (index !== source.length) fail('unbalanced parenthesis');
  return shape;
}
