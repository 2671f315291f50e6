import type { EventLocation } from '../shipment/shipment.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs milliseconds; one per zone is kept for the life of the process. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offsets of a zone at an instant, via Intl (no time-zone database of our own). */
function offsetMinutes(timeZone: string, utcMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** `YYYY-MM-DDTHH:MM[:SS]` wall-clock time in an IANA zone → UTC instant. */
export function zonedTimeToInstant(localIso: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(localIso);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'));
  if (Number.isNaN(wall)) return null;
  try {
    // Two passes settle the offset around DST changes.
    let utc = wall - offsetMinutes(timeZone, wall) * 60_000;
    utc = wall - offsetMinutes(timeZone, utc) * 60_000;
    return new Date(utc).toISOString();
  } catch {
    return null;
  }
}

const US_STATE_ZONES: Record<string, string> = {
  AL: 'America/Chicago',
  AK: 'America/Anchorage',
  AZ: 'America/Phoenix',
  AR: 'America/Chicago',
  CA: 'America/Los_Angeles',
  CO: 'America/Denver',
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York',
  GA: 'America/New_York',
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise',
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis',
  IA: 'America/Chicago',
  KS: 'America/Chicago',
  KY: 'America/New_York',
  LA: 'America/Chicago',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit',
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  MT: 'America/Denver',
  NE: 'America/Chicago',
  NV: 'America/Los_Angeles',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NM: 'America/Denver',
  NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago',
  OH: 'America/New_York',
  OK: 'America/Chicago',
  OR: 'America/Los_Angeles',
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  SD: 'America/Chicago',
  TN: 'America/Chicago',
  TX: 'America/Chicago',
  UT: 'America/Denver',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WA: 'America/Los_Angeles',
  WV: 'America/New_York',
  WI: 'America/Chicago',
  WY: 'America/Denver',
  PR: 'America/Puerto_Rico',
  GU: 'Pacific/Guam',
  VI: 'America/St_Thomas',
};

const CA_PROVINCE_ZONES: Record<string, string> = {
  BC: 'America/Vancouver',
  AB: 'America/Edmonton',
  SK: 'America/Regina',
  MB: 'America/Winnipeg',
  ON: 'America/Toronto',
  QC: 'America/Toronto',
  NB: 'America/Moncton',
  NS: 'America/Halifax',
  PE: 'America/Halifax',
  NL: 'America/St_Johns',
  YT: 'America/Whitehorse',
  NT: 'America/Yellowknife',
  NU: 'America/Iqaluit',
};

/** Countries with one zone for (nearly) all of their territory. */
const COUNTRY_ZONES: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  PT: 'Europe/Lisbon',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  BE: 'Europe/Brussels',
  NL: 'Europe/Amsterdam',
  LU: 'Europe/Luxembourg',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  IT: 'Europe/Rome',
  DK: 'Europe/Copenhagen',
  NO: 'Europe/Oslo',
  SE: 'Europe/Stockholm',
  FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw',
  CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest',
  SI: 'Europe/Ljubljana',
  HR: 'Europe/Zagreb',
  RO: 'Europe/Bucharest',
  BG: 'Europe/Sofia',
  GR: 'Europe/Athens',
  EE: 'Europe/Tallinn',
  LV: 'Europe/Riga',
  LT: 'Europe/Vilnius',
  UA: 'Europe/Kyiv',
  TR: 'Europe/Istanbul',
  IL: 'Asia/Jerusalem',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  IN: 'Asia/Kolkata',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  TW: 'Asia/Taipei',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  EG: 'Africa/Cairo',
  CO: 'America/Bogota',
  PE: 'America/Lima',
  CL: 'America/Santiago',
  AR: 'America/Argentina/Buenos_Aires',
  US: 'America/New_York',
  CA: 'America/Toronto',
  MX: 'America/Mexico_City',
  BR: 'America/Sao_Paulo',
  AU: 'Australia/Sydney',
  RU: 'Europe/Moscow',
};

/** The zone an event most likely happened in, from its location (region first, then country). */
export function inferTimeZone(location: Pick<EventLocation, 'region' | 'country'> | null): string | null {
  if (!location?.country) return null;
  const country = location.country.toUpperCase();
  const region = location.region?.toUpperCase() ?? '';
  if (country === 'US' && US_STATE_ZONES[region]) return US_STATE_ZONES[region];
  if (country === 'CA' && CA_PROVINCE_ZONES[region]) return CA_PROVINCE_ZONES[region];
  return COUNTRY_ZONES[country] ?? null;
}

/**
 * Turns a carrier time into the stored pair. With an explicit offset or Z the
 * instant is exact; with a bare local time the zone comes from the event's
 * location, else the fallback location (the destination), and is marked
 * inferred; failing both it is read as UTC, also marked inferred.
 */
export function resolveCarrierTime(input: {
  /** As given: `2026-11-26T14:05:00`, `2026-11-26T14:05:00-05:00`, `2026-11-26T19:05:00Z`. */
  local: string;
  location?: Pick<EventLocation, 'region' | 'country'> | null;
  fallbackLocation?: Pick<EventLocation, 'region' | 'country'> | null;
}): { occurredAt: string; occurredAtLocal: string; timeZoneInferred: boolean } | null {
  const local = input.local.trim();
  if (/([+-]\d{2}:?\d{2}|Z)$/i.test(local)) {
    const at = Date.parse(local);
    return Number.isNaN(at)
      ? null
      : { occurredAt: new Date(at).toISOString(), occurredAtLocal: local, timeZoneInferred: false };
  }
  const zone = inferTimeZone(input.location ?? null) ?? inferTimeZone(input.fallbackLocation ?? null) ?? 'UTC';
  const occurredAt = zonedTimeToInstant(local, zone);
  return occurredAt ? { occurredAt, occurredAtLocal: local, timeZoneInferred: true } : null;
}
