/**
 * Courier files compiled once, at module load, into what matching needs: an anchored RegExp,
 * a check-digit function, the `prepend_if` rule, indexed lookup tables and a ranking weight.
 */
import { compileChecksum, type CheckDigitFunction } from './checksums.js';
import type { CourierSpec, LookupEntrySpec, TrackingNumberSpec } from './data-format.js';
import { analysePattern } from './pattern-analysis.js';

/** The regex group whose lookup names the service (UPS `03` → "UPS United States Ground"). */
export const SERVICE_TYPE_GROUP = 'ServiceType';

export interface CompiledLookup {
  /** The section name, e.g. "Service Type", "Courier", "Country Code". */
  readonly name: string;
  readonly group: string;
  /** Returns the first entry (in file order) matching the group's value. */
  readonly find: (value: string) => LookupEntrySpec | undefined;
}

export interface CompiledDefinition {
  /** `${carrier}/${id}`, unique. */
  readonly key: string;
  /** The definition's `id`, or one derived from its name when the file has none. */
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The courier file's `courier_code`: Waymark's carrier code. */
  readonly carrier: string;
  readonly carrierName: string;
  /** `^(?:pattern)$` over the normalised number. */
  readonly pattern: RegExp;
  /** The pattern's named groups, in order. */
  readonly groupNames: readonly string[];
  readonly checksumName: string | null;
  readonly checkDigit: CheckDigitFunction | null;
  readonly prependIf: { readonly test: RegExp; readonly content: string } | null;
  readonly lookups: readonly CompiledLookup[];
  /** Lookup sections that must find an entry for the number to be valid (S10: "Courier"). */
  readonly requiredLookups: readonly string[];
  readonly trackingUrl: string | null;
  /** Fixed characters the pattern pins down; see `analysePattern`. */
  readonly specificity: number;
  /** Lengths of the normalised numbers the pattern can match. */
  readonly minLength: number;
  readonly maxLength: number;
  /** Position in `COURIERS` order, for a stable final tie-break. */
  readonly order: number;
  readonly spec: TrackingNumberSpec;
}

/** The reference implementation's rule for definitions without an `id`: "UPS Waybill" → "ups-waybill". */
export function definitionId(spec: TrackingNumberSpec): string {
  return (
    spec.id ??
    spec.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  );
}

export function patternSource(spec: TrackingNumberSpec): string {
  return Array.isArray(spec.regex) ? spec.regex.join('') : spec.regex;
}

function compileLookup(name: string, group: string, entries: readonly LookupEntrySpec[]): CompiledLookup {
  const exact = new Map<string, number>();
  const patterns: { index: number; test: RegExp }[] = [];
  entries.forEach((entry, index) => {
    if (entry.matches !== undefined) {
      if (!exact.has(entry.matches)) exact.set(entry.matches, index);
    } else if (entry.matches_regex !== undefined) {
      // Unanchored, as the reference implementation tests it.
      patterns.push({ index, test: new RegExp(entry.matches_regex) });
    }
  });
  return {
    name,
    group,
    find(value) {
      let best = exact.get(value) ?? Infinity;
      for (const pattern of patterns) {
        if (pattern.index >= best) break;
        if (pattern.test.test(value)) {
          best = pattern.index;
          break;
        }
      }
      return best === Infinity ? undefined : entries[best];
    },
  };
}

export function compileDefinitions(couriers: readonly CourierSpec[]): CompiledDefinition[] {
  const compiled: CompiledDefinition[] = [];
  const keys = new Set<string>();
  for (const courier of couriers) {
    for (const spec of courier.tracking_numbers) {
      const id = definitionId(spec);
      const key = `${courier.courier_code}/${id}`;
      if (keys.has(key)) throw new Error(`duplicate tracking number definition ${key}`);
      keys.add(key);
      const source = patternSource(spec);
      const shape = analysePattern(source);
      const checksum = spec.validation?.checksum;
      const prepend = spec.validation?.serial_number_format?.prepend_if;
      const lookups = (spec.additional ?? []).map((section) =>
        compileLookup(section.name, section.regex_group_name, section.lookup),
      );
      const requiredLookups = spec.validation?.additional?.exists ?? [];
      for (const required of requiredLookups) {
        if (!lookups.some((lookup) => lookup.name === required)) {
          throw new Error(`${key} requires the lookup "${required}", which it does not define`);
        }
      }
      compiled.push({
        key,
        id,
        name: spec.name,
        description: spec.description,
        carrier: courier.courier_code,
        carrierName: courier.name,
        pattern: new RegExp(`^(?:${source})$`),
        groupNames: [...new Set(Array.from(source.matchAll(/\(\?<([A-Za-z][A-Za-z0-9]*)>/g), (found) => found[1]!))],
        checksumName: checksum?.name ?? null,
        checkDigit: checksum ? compileChecksum(checksum) : null,
        prependIf: prepend ? { test: new RegExp(prepend.matches_regex), content: prepend.content } : null,
        lookups,
        requiredLookups,
        trackingUrl: spec.tracking_url ?? null,
        specificity: shape.fixedCharacters,
        minLength: shape.minLength,
        maxLength: shape.maxLength,
        order: compiled.length,
        spec,
      });
    }
  }
  return compiled;
}
