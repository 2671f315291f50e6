import type { OrderView } from '../../app/get-order.js';
import {
  buildCustomerJourney,
  type JourneyHeadline,
  type JourneyStep,
  type JourneyTone,
  type ShipmentJourney,
} from '../../core/journey/customer-journey.js';
import type { OrderStatus } from '../../core/order/order-status.js';
import type { ShippingStatus } from '../../core/shipment/shipping-status.js';
import type { Store } from '../../core/store/store.js';
import { carrierTrackingUrl } from '../../core/tracking/carrier-links.js';
import { carrierDisplayName, formatDeliveryDate } from '../notifications/render-notification.js';
import { de as deMessages } from '../notifications/templates/de.js';
import { en as enMessages } from '../notifications/templates/en.js';
import { es as esMessages } from '../notifications/templates/es.js';
import { fr as frMessages } from '../notifications/templates/fr.js';
import type { LocaleCopy, SupportedLocale } from '../notifications/templates/locale-copy.js';
import { de } from './copy/de.js';
import { en } from './copy/en.js';
import { es } from './copy/es.js';
import { fr } from './copy/fr.js';
import type { PageCopy } from './copy/page-copy.js';
import type { PageLocale } from './page-locale.js';

const PAGE_COPY: Readonly<Record<SupportedLocale, PageCopy>> = { en, es, fr, de };
const MESSAGE_COPY: Readonly<Record<SupportedLocale, LocaleCopy>> = {
  en: enMessages,
  es: esMessages,
  fr: frMessages,
  de: deMessages,
};

export function pageCopy(language: SupportedLocale): PageCopy {
  return PAGE_COPY[language];
}

/** `{name}` placeholders filled from `values`; unknown names stay visible rather than vanish. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : placeholder,
  );
}

export type StoreFace = {
  slug: string;
  name: string;
  /** https only; anything else is dropped. */
  logoUrl: string | null;
  primaryColor: string;
  /** Black or white, whichever reads better on the primary colour. */
  onPrimaryColor: string;
  accentColor: string;
  supportEmail: string | null;
  supportUrl: string | null;
};

export type ViewStep = Pick<JourneyStep, 'key' | 'state'> & { label: string; at: string | null };

export type ViewEvent = {
  /** UTC instant, for `<time datetime>`. */
  at: string;
  /** Where it happened, in that place's wall-clock time when the carrier gave it. */
  when: string;
  status: ShippingStatus;
  statusLabel: string;
  description: string | null;
  location: string | null;
};

export type ViewItem = { name: string; quantity: number };

export type ViewShipment = {
  id: string;
  /** "Parcel 2 of 3", or "Parcel" alone. */
  label: string;
  carrier: string | null;
  carrierName: string | null;
  trackingNumber: string;
  carrierUrl: string | null;
  status: ShippingStatus;
  statusLabel: string;
  tone: JourneyTone;
  steps: ViewStep[];
  estimatedDelivery: string | null;
  deliveredAt: string | null;
  signedBy: string | null;
  /** What went wrong, in plain words; null when nothing did. */
  problem: string | null;
  /** What the customer should do now (collect, rearrange…); null when nothing. */
  action: string | null;
  items: ViewItem[];
  events: ViewEvent[];
};

/**
 * Everything the tracking page shows, already in the customer's language and
 * nothing more: no email, phone, street address or internal id beyond the
 * shipment's. The same object is the JSON of `/api/public/track/…`.
 */
export type TrackingView = {
  lang: SupportedLocale;
  store: StoreFace;
  order: {
    number: string;
    title: string;
    placedAt: string;
    placedOn: string;
    status: OrderStatus;
    statusLabel: string;
    /** Why a cancelled, refunded or held order looks the way it does. */
    notice: string | null;
  };
  headline: { text: string; tone: JourneyTone };
  steps: ViewStep[];
  shipments: ViewShipment[];
  /** Items shown outside the parcels: not shipped yet, or all of them when parcels do not say. */
  otherItems: ViewItem[];
  otherItemsHeading: string;
  updatedAt: string;
  updatedAtText: string;
};

const DEFAULT_PRIMARY = '#1f2937';
const DEFAULT_ACCENT = '#2563eb';
const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function colour(value: string | null | undefined, fallback: string): string {
  return value && HEX_COLOUR.test(value.trim()) ? value.trim().toLowerCase() : fallback;
}

/** WCAG relative luminance, to pick readable text on the store's colour. */
function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrastRatio(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

function httpsUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function emailAddress(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(trimmed) ? trimmed : null;
}

export function storeFace(store: Pick<Store, 'slug' | 'name' | 'branding'>): StoreFace {
  const primaryColor = colour(store.branding.primaryColor, DEFAULT_PRIMARY);
  const onPrimaryColor =
    contrastRatio(luminance(primaryColor), 1) >= contrastRatio(luminance(primaryColor), 0) ? '#ffffff' : '#000000';
  return {
    slug: store.slug,
    name: store.branding.displayName?.trim() || store.name,
    logoUrl: httpsUrl(store.branding.logoUrl),
    primaryColor,
    onPrimaryColor,
    accentColor: colour(store.branding.accentColor, DEFAULT_ACCENT),
    supportEmail: emailAddress(store.branding.supportEmail),
    supportUrl: httpsUrl(store.branding.supportUrl),
  };
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormatter(locale: string, timeZone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withYear}`;
  let formatter = dateTimeFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: 'numeric',
      minute: '2-digit',
    });
    dateTimeFormatters.set(key, formatter);
  }
  return formatter;
}

const LOCAL_WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/;

// Building an Intl.DateTimeFormat costs more than rendering the rest of the page, so zones
// are checked once and formatters kept (measured in docs/BENCHMARKS.md, tracking page).
const checkedZones = new Map<string, string>();

function safeZone(timeZone: string): string {
  let zone = checkedZones.get(timeZone);
  if (zone === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      zone = timeZone;
    } catch {
      zone = 'UTC';
    }
    if (checkedZones.size < 1000) checkedZones.set(timeZone, zone);
  }
  return zone;
}

/**
 * An event's time where it happened: the carrier's own wall-clock time when it
 * gave one (a scan in Memphis reads 21:40 whatever the customer's zone), else
 * the instant on the store's clock.
 */
function eventTime(at: string, localTime: string | null, locale: string, timeZone: string, now: number): string {
  const wall = localTime ? LOCAL_WALL_TIME.exec(localTime) : null;
  const sameYear = (instant: number) => new Date(instant).getUTCFullYear() === new Date(now).getUTCFullYear();
  if (wall) {
    const [, y, mo, d, h, mi, sec] = wall;
    const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0));
    if (!Number.isNaN(asUtc)) return dateTimeFormatter(locale, 'UTC', !sameYear(asUtc)).format(asUtc);
  }
  const instant = Date.parse(at);
  return dateTimeFormatter(locale, timeZone, !sameYear(instant)).format(instant);
}

const longDateFormatters = new Map<string, Intl.DateTimeFormat>();

function longDate(value: string, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let formatter = longDateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' });
    longDateFormatters.set(key, formatter);
  }
  return formatter.format(Date.parse(value));
}

function steps(source: readonly JourneyStep[], copy: LocaleCopy): ViewStep[] {
  return source.map((step) => ({ key: step.key, state: step.state, label: copy.journeySteps[step.key], at: step.at }));
}

function headlineText(headline: JourneyHeadline, copy: PageCopy): string {
  const template = (copy.headlines as Record<string, string>)[headline.key] ?? headline.text;
  return fill(template, headline.params);
}

function statusLabel(key: string, fallback: string, copy: PageCopy): string {
  return (copy.statuses as Record<string, string>)[key] ?? fallback;
}

function problemText(problem: ShipmentJourney['problem'], messages: LocaleCopy): string | null {
  if (!problem) return null;
  return (messages.problems as Record<string, string>)[problem.key] ?? problem.message;
}

/**
 * Line items of the order per parcel, and the rest: what no parcel carries yet
 * when the platform says what is in each parcel, or simply "your items" when it
 * does not (several parcels without allocation: we cannot tell which is where).
 */
function allocateItems(order: OrderView): {
  byShipment: Map<string, ViewItem[]>;
  rest: ViewItem[];
  restHeading: 'notShippedYet' | 'yourItems';
} {
  const all = order.lineItems.filter((item) => item.quantity > 0).map(({ name, quantity }) => ({ name, quantity }));
  const live = order.shipments.filter((shipment) => shipment.status !== 'cancelled');
  const byShipment = new Map<string, ViewItem[]>();
  if (live.length === 0) return { byShipment, rest: all, restHeading: 'yourItems' };

  const names = new Map(order.lineItems.map((item) => [item.externalId ?? '', item.name]));
  const shipped = new Map<string, number>();
  for (const shipment of live) {
    const items: ViewItem[] = [];
    for (const item of shipment.items) {
      const name = names.get(item.externalId ?? '');
      if (name === undefined || item.quantity <= 0) continue;
      items.push({ name, quantity: item.quantity });
      shipped.set(item.externalId ?? '', (shipped.get(item.externalId ?? '') ?? 0) + item.quantity);
    }
    byShipment.set(shipment.id, items);
  }
  if (shipped.size === 0) {
    const [only] = live;
    // One parcel for a fulfilled order: everything is in it, whether or not the platform said so.
    if (only && live.length === 1 && order.orderStatus === 'fulfilled') {
      byShipment.set(only.id, all);
      return { byShipment, rest: [], restHeading: 'yourItems' };
    }
    return { byShipment, rest: all, restHeading: 'yourItems' };
  }
  const rest = order.lineItems
    .map((item) => ({ name: item.name, quantity: item.quantity - (shipped.get(item.externalId ?? '') ?? 0) }))
    .filter((item) => item.quantity > 0);
  return { byShipment, rest, restHeading: 'notShippedYet' };
}

const ORDER_NOTICES: Partial<Record<OrderStatus, keyof PageCopy['ui']>> = {
  cancelled: 'cancelledExplained',
  refunded: 'refundedExplained',
  on_hold: 'onHoldExplained',
};

export function buildTrackingView(input: {
  store: Pick<Store, 'slug' | 'name' | 'branding' | 'timeZone'>;
  order: OrderView;
  locale: PageLocale;
  now: string;
}): TrackingView {
  const { order, locale } = input;
  const copy = pageCopy(locale.language);
  const messages = MESSAGE_COPY[locale.language];
  const zone = safeZone(input.store.timeZone);
  const now = Date.parse(input.now);
  const journey = buildCustomerJourney({
    order,
    shipments: order.shipments.map((shipment) => ({ ...shipment, events: shipment.events })),
  });
  const { byShipment, rest, restHeading } = allocateItems(order);
  const total = journey.shipments.length;
  const byId = new Map(order.shipments.map((shipment) => [shipment.id, shipment]));

  const shipments = journey.shipments.map((row, index): ViewShipment => {
    const stored = byId.get(row.id);
    const carrierName = carrierDisplayName(row.carrier);
    const problem = problemText(row.problem, messages);
    const edd = row.estimatedDelivery
      ? formatDeliveryDate(row.estimatedDelivery, locale.formatting, zone)?.long
      : undefined;
    return {
      id: row.id,
      label: total > 1 ? fill(copy.ui.parcelOf, { index: index + 1, total }) : copy.ui.parcel,
      carrier: row.carrier,
      carrierName,
      trackingNumber: row.trackingNumber,
      carrierUrl: carrierTrackingUrl(row.carrier, row.trackingNumber),
      status: row.status,
      statusLabel: statusLabel(row.headline.key, row.headline.text, copy),
      tone: row.headline.tone,
      steps: steps(row.steps, messages),
      estimatedDelivery: edd ?? null,
      deliveredAt:
        row.status === 'delivered' && stored?.deliveredAt
          ? eventTime(stored.deliveredAt, null, locale.formatting, zone, now)
          : null,
      signedBy: row.status === 'delivered' ? (stored?.signedBy?.trim() ?? null) || null : null,
      problem: row.status === 'cancelled' ? copy.ui.labelVoided : problem,
      action: row.status === 'available_for_pickup' ? copy.ui.pickupAction : null,
      items: byShipment.get(row.id) ?? [],
      events: row.events.map((event) => ({
        at: event.at,
        when: eventTime(event.at, event.localTime, locale.formatting, zone, now),
        status: event.status,
        statusLabel: statusLabel(event.statusKey, event.statusLabel, copy),
        description: event.description,
        location: event.location,
      })),
    };
  });

  const notice = ORDER_NOTICES[order.orderStatus];
  return {
    lang: locale.language,
    store: storeFace(input.store),
    order: {
      number: order.number,
      title: fill(copy.ui.orderTitle, { number: order.number }),
      placedAt: order.placedAt,
      placedOn: fill(copy.ui.placedOn, { date: longDate(order.placedAt, locale.formatting, zone) }),
      status: order.orderStatus,
      statusLabel: copy.orderStatuses[order.orderStatus],
      notice: notice ? copy.ui[notice] : null,
    },
    headline: { text: headlineText(journey.headline, copy), tone: journey.headline.tone },
    steps: steps(journey.steps, messages),
    shipments,
    otherItems: rest,
    otherItemsHeading: copy.ui[restHeading],
    updatedAt: input.now,
    updatedAtText: fill(copy.ui.updatedAt, { time: eventTime(input.now, null, locale.formatting, zone, now) }),
  };
}
