/** Display helpers of the dashboard: pure, English, in the store's time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      });
    } catch {
      // A store with a zone this Node does not know still gets readable times.
      return formatterFor('UTC', withTime);
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/** "26 Nov 2026, 13:05" in the zone; an empty string for null. */
export function formatInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return formatterFor(timeZone, true).format(new Date(ms));
}

/** A calendar date (`2026-11-28`) as "28 Nov 2026"; an instant is shown with its time. */
export function formatDay(value: string | null | undefined, timeZone: string): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatterFor('UTC', false).format(new Date(`${value}T12:00:00Z`));
  return formatInstant(value, timeZone);
}

/** How long ago, coarsely: "45 min", "5 h", "3 d 4 h". */
export function formatAge(fromIso: string | null | undefined, nowIso: string): string {
  if (!fromIso) return '';
  const ms = Date.parse(nowIso) - Date.parse(fromIso);
  if (Number.isNaN(ms)) return '';
  if (ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 || days >= 10 ? `${days} d` : `${days} d ${rest} h`;
}

/** A query string from the values that are set, for links that keep the current filters. */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text.length > 0 ? `?${text}` : '';
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no value can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
