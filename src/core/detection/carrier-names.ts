/**
 * Carrier names as stores and 3PLs send them ("UPS", "United Parcel Service", "ups_ground",
 * "FedEx Ground", "U.S. Postal Service", "DHL eCommerce", "Amazon Logistics US") → Waymark
 * carrier codes (the same codes detection returns). Unknown names → null, so detection decides.
 *
 * Matching: the name is folded (accents dropped, lower case, `&` → "and", `.`/`'` removed, any
 * other punctuation or `_` → space), then the longest known alias that covers the whole name
 * or its first words wins ("ups ground" → the alias "ups"). Each alias is also tried without its
 * spaces, so "Fed Ex" and "fed-ex" find "fedex". Aliases come from the courier names in the
 * dataset (courier `name`, `courier_code`, and format names without their "(12)"-style
 * suffix) plus the hand-written table below.
 */
import { COURIERS } from './dataset.js';

/** Hand-written aliases, by carrier code. Folded form (see `foldCarrierName`). */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  ups: [
    'ups',
    'united parcel service',
    'united parcel service of america',
    'upsn', // SCAC
    'upgf', // SCAC, UPS Ground Freight
  ],
  usps: [
    'usps',
    'us postal service',
    'us postal',
    'us post office',
    'us mail',
    'united states postal service',
    'united states post office',
    'united states postal',
    'stamps com',
    'endicia',
    'priority mail',
    'first class mail',
    'first class package',
    'media mail',
  ],
  fedex: [
    'fedex',
    'federal express',
    'fdx',
    'fdxe', // FedEx Express, FedEx API carrier code
    'fdxg', // FedEx Ground
    'fxsp', // FedEx SmartPost
    'fdeg', // SCAC, FedEx Ground
    'fxfe', // SCAC, FedEx Freight
  ],
  dhl: ['dhl', 'dhl express', 'dhl ecommerce', 'dhl e commerce', 'dhl global mail', 'dhl parcel', 'dhl paket'],
  amazon: ['amazon', 'amazon logistics', 'amazon shipping', 'amzl'],
  canada_post: ['canada post', 'postes canada', 'canada post postes canada'],
  canpar: ['canpar', 'canpar express'],
  dpd: ['dpd', 'dpd group', 'dpd local'],
  gofo: ['gofo', 'gofo express'],
  landmark: ['landmark global', 'landmark global ltn'],
  lasership: ['lasership'],
  old_dominion: ['old dominion', 'old dominion freight line', 'odfl'],
  ontrac: ['ontrac'],
  purolator: ['purolator'],
  s10: ['s10', 'upu s10'],
  speedee: ['spee dee', 'spee dee delivery', 'speedee'],
  yodel: ['yodel'],
  yunexpress: ['yunexpress', 'yun express'],
  sandbox: ['sandbox', 'waymark sandbox', 'waymark'],
};

/** Aliases are matched against at most this many leading words. */
const MAX_ALIAS_WORDS = 6;

/** The folded form names are compared in: "U.S. Postal-Service" → "us postal service". */
export function foldCarrierName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function buildAliasTable(): Map<string, string> {
  const table = new Map<string, string>();
  const add = (alias: string, code: string, source: string): void => {
    const folded = foldCarrierName(alias);
    if (!folded) return;
    for (const key of [folded, folded.replaceAll(' ', '')]) {
      const existing = table.get(key);
      if (existing !== undefined && existing !== code) {
        throw new Error(`carrier alias "${key}" (${source}) names both ${existing} and ${code}`);
      }
      table.set(key, code);
    }
  };
  for (const courier of COURIERS) {
    add(courier.name, courier.courier_code, 'dataset courier name');
    add(courier.courier_code, courier.courier_code, 'dataset courier code');
    for (const format of courier.tracking_numbers) {
      add(format.name.replace(/\([^)]*\)/g, ''), courier.courier_code, 'dataset format name');
    }
  }
  for (const [code, aliases] of Object.entries(ALIASES)) {
    for (const alias of aliases) add(alias, code, 'alias table');
  }
  return table;
}

const ALIAS_TABLE = buildAliasTable();

/** Every alias (folded) and the carrier code it names, for inspection and tests. */
export function carrierAliases(): ReadonlyMap<string, string> {
  return ALIAS_TABLE;
}

/**
 * The carrier code for a carrier name given by a store, platform or 3PL, or null when the name
 * is not recognised.
 */
export function normaliseCarrierName(name: string): string | null {
  const words = foldCarrierName(name).split(' ').filter(Boolean);
  for (let count = Math.min(words.length, MAX_ALIAS_WORDS); count > 0; count--) {
    const head = words.slice(0, count);
    const code = ALIAS_TABLE.get(head.join(' ')) ?? ALIAS_TABLE.get(head.join(''));
    if (code !== undefined) return code;
  }
  return null;
}
