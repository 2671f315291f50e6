import { resolveNotificationLocale } from '../notifications/render-notification.js';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../notifications/templates/locale-copy.js';

/** The page's language and the regional tag dates are formatted with (`en-GB` keeps day-month order). */
export type PageLocale = { language: SupportedLocale; formatting: string };

const MAX_RANGES = 20;

/** `Accept-Language` ranges, best first (RFC 9110 §12.5.4); `*` and malformed entries dropped. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, MAX_RANGES)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { range: range.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(entry.range))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.range);
}

/** The browser's preferred language that Waymark speaks, else the store's default, else English. */
export function negotiatePageLocale(acceptLanguage: string | undefined, storeLocale: string | null): PageLocale {
  for (const range of acceptedLanguages(acceptLanguage)) {
    const language = range.split('-')[0]?.toLowerCase();
    if (language && (SUPPORTED_LOCALES as readonly string[]).includes(language)) {
      return resolveNotificationLocale(range, null);
    }
  }
  return resolveNotificationLocale(null, storeLocale);
}

export function isSupportedLanguage(value: string): value is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}
