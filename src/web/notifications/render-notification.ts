import { Eta } from 'eta/core';
import type { TemplateFunction } from 'eta/core';
import { DomainError } from '../../core/errors.js';
import type { JourneyStepKey, JourneyStepState } from '../../core/journey/customer-journey.js';
import type { Milestone } from '../../core/notification/milestone.js';
import { MILESTONES, isMilestone } from '../../core/notification/milestone.js';
import type { Channel } from '../../core/notification/notification-settings.js';
import type { ShippingStatus, Substatus } from '../../core/shipment/shipping-status.js';
import type { StoreBranding } from '../../core/store/store.js';
import { de } from './templates/de.js';
import { en } from './templates/en.js';
import { es } from './templates/es.js';
import { fr } from './templates/fr.js';
import type { EmailLayoutData, JourneyMark, SmsLayoutData } from './templates/layout.js';
import { EMAIL_HTML_LAYOUT, EMAIL_TEXT_LAYOUT, SMS_LAYOUT } from './templates/layout.js';
import type {
  JourneyProblemKey,
  LocaleCopy,
  MessageContext,
  MilestoneCopy,
  SupportedLocale,
} from './templates/locale-copy.js';
import { SUPPORTED_LOCALES } from './templates/locale-copy.js';
import { toGsm7WhenPossible } from './sms-text.js';

export type TemplateChannel = Extract<Channel, 'email' | 'sms'>;

export type NotificationTemplateInput = {
  milestone: Milestone;
  channel: TemplateChannel;
  /** The customer's language (`es-MX`, `fr`); null when the platform did not say. */
  locale: string | null;
  store: {
    name: string;
    /** Used when the customer's language is unknown or has no templates. */
    locale?: string | null;
    /** IANA zone; estimated delivery instants are shown in it. */
    timeZone: string;
    branding: StoreBranding;
  };
  order: { number: string; customerName: string | null };
  /** Null for order-level milestones (`order_confirmed`, `all_delivered`, …). */
  shipment: {
    carrier: string | null;
    trackingNumber: string;
    status: ShippingStatus;
    substatus: Substatus;
    /** ISO date (`2026-11-26`, a calendar day) or instant (shown in the store's time zone). */
    estimatedDelivery: string | null;
  } | null;
  /** The steps of the customer journey, for a small progress line in the email. */
  journey?: readonly { key: JourneyStepKey; state: JourneyStepState }[] | null;
  /** The signed link to the Waymark tracking page. */
  trackingUrl: string;
  unsubscribeUrl: string;
  /** The delivery attempt a per-attempt milestone belongs to; 0 for one-off milestones. */
  attemptNumber: number;
  /** What went wrong, for `exception` and `attempt_failed`; defaults to the shipment's substatus. */
  exceptionKind?: Substatus | null;
};

export type RenderedEmail = { subject: string; html: string; text: string };
export type RenderedSms = { body: string };

export type ResolvedLocale = {
  /** Whose templates speak. */
  language: SupportedLocale;
  /** The tag dates are formatted with: the customer's region kept (`en-GB` → "Thursday 26 November"). */
  formatting: string;
};

const DEFAULT_PRIMARY_COLOUR = '#111827';
const DEFAULT_ACCENT_COLOUR = '#2563eb';
const MUTED_COLOUR = '#9ca3af';
const TEXT_COLOUR = '#111827';

/** Milestones where the delivery date is news; after delivery or a return it is not. */
const SHOWS_DELIVERY_DATE: ReadonlySet<Milestone> = new Set<Milestone>([
  'shipped',
  'in_transit',
  'attempt_failed',
  'exception',
  'stalled_in_transit',
  'predicted_late',
]);

/** Milestones whose email explains the carrier's problem in a box of its own. */
const EXPLAINS_PROBLEM: ReadonlySet<Milestone> = new Set<Milestone>(['attempt_failed', 'exception']);

const CARRIER_NAMES: ReadonlyMap<string, string> = new Map([
  ['ups', 'UPS'],
  ['fedex', 'FedEx'],
  ['usps', 'USPS'],
  ['dhl', 'DHL'],
  ['sandbox', 'Sandbox Carrier'],
]);

const JOURNEY_MARKS: Readonly<Record<JourneyStepState, string>> = { done: '✓', current: '●', upcoming: '○' };

// Two engines: words are rendered as plain text (subject, SMS, text part) and
// escaped exactly once, by the HTML layout. Escaping them while rendering the
// words would show "&amp;" in subject lines and SMS.
const textEngine = new Eta({ autoEscape: false, autoTrim: false });
const htmlEngine = new Eta({ autoEscape: true, autoTrim: false });

type CompiledMilestone = Record<keyof MilestoneCopy, TemplateFunction>;
type CompiledLocale = {
  copy: LocaleCopy;
  milestones: Record<Milestone, CompiledMilestone>;
  greeting: TemplateFunction;
  footer: TemplateFunction;
};

function compileLocale(copy: LocaleCopy): CompiledLocale {
  const compile = (template: string): TemplateFunction => textEngine.compile(template);
  const milestones = Object.fromEntries(
    MILESTONES.map((milestone) => {
      const words = copy.milestones[milestone];
      const compiled: CompiledMilestone = {
        subject: compile(words.subject),
        heading: compile(words.heading),
        body: compile(words.body),
        sms: compile(words.sms),
      };
      return [milestone, compiled];
    }),
  ) as Record<Milestone, CompiledMilestone>;
  return { copy, milestones, greeting: compile(copy.layout.greeting), footer: compile(copy.layout.footer) };
}

// Compiled once at module load: a template that does not parse fails the import, not a send.
const COMPILED: Readonly<Record<SupportedLocale, CompiledLocale>> = {
  en: compileLocale(en),
  es: compileLocale(es),
  fr: compileLocale(fr),
  de: compileLocale(de),
};
const HTML_LAYOUT = htmlEngine.compile(EMAIL_HTML_LAYOUT);
const TEXT_LAYOUT = textEngine.compile(EMAIL_TEXT_LAYOUT);
const SMS_FRAME = textEngine.compile(SMS_LAYOUT);

function isSupportedLocale(value: string): value is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** `es_MX`, `fr-CA-u-ca-buddhist`, `de-DE,de;q=0.9` → a plain BCP 47 tag without extensions, or null. */
const parsedTags = new Map<string, Intl.Locale | null>();

function languageTag(raw: string | null | undefined): Intl.Locale | null {
  const first = raw?.split(/[,;]/)[0]?.trim().replace(/_/g, '-');
  if (!first) return null;
  // Parsing a tag twice per page showed in the tracking page's profile; the set of tags seen is small.
  if (parsedTags.has(first)) return parsedTags.get(first) ?? null;
  let tag: Intl.Locale | null;
  try {
    const parsed = new Intl.Locale(first);
    tag = new Intl.Locale([parsed.language, parsed.script, parsed.region].filter(Boolean).join('-'));
  } catch {
    tag = null;
  }
  if (parsedTags.size < 1000) parsedTags.set(first, tag);
  return tag;
}

/** Customer language → store locale → English; a regional tag (`es-MX`) uses its language's templates. */
export function resolveNotificationLocale(
  customerLanguage: string | null | undefined,
  storeLocale: string | null | undefined,
): ResolvedLocale {
  for (const candidate of [customerLanguage, storeLocale]) {
    const tag = languageTag(candidate);
    if (!tag || !isSupportedLocale(tag.language)) continue;
    const formatting = Intl.DateTimeFormat.supportedLocalesOf([tag.toString()])[0] ?? tag.language;
    return { language: tag.language, formatting };
  }
  return { language: 'en', formatting: 'en' };
}

/** Carrier code → the name a customer knows. */
export function carrierDisplayName(code: string | null | undefined): string | null {
  const cleaned = cleanText(code);
  if (!cleaned) return null;
  return CARRIER_NAMES.get(cleaned.toLowerCase()) ?? cleaned.replace(/[_-]+/g, ' ').toUpperCase();
}

// Control characters could break a subject line or an SMS apart; bidi overrides
// could make a name display as something it is not.
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** One line of plain text, or null when nothing is left. */
function cleanText(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return cleaned.length > 0 ? cleaned : null;
}

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#rgb`/`#rrggbb` as `#rrggbb`; anything else (names, `rgb()`, a CSS payload) → the fallback. */
function safeColour(value: string | null | undefined, fallback: string): string {
  const trimmed = value?.trim() ?? '';
  if (!HEX_COLOUR.test(trimmed)) return fallback;
  const hex = trimmed.slice(1).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((digit) => digit + digit).join('')}` : `#${hex}`;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(colour: string): number {
  const channel = (offset: number): number => {
    const value = parseInt(colour.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or the body text colour, whichever contrasts more with the button's colour. */
function readableTextOn(background: string): string {
  const ratio = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const behind = luminance(background);
  return ratio(behind, 1) >= ratio(behind, luminance(TEXT_COLOUR)) ? '#ffffff' : TEXT_COLOUR;
}

/** http(s) URLs only, normalised; `javascript:`, `data:` and unparseable links are dropped. */
function safeHttpUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// Narrower than RFC 5322 on purpose: it goes into a mailto: link, where `?` or
// `&` would add headers (`?bcc=`) and quotes would need escaping rules of their own.
const PLAIN_EMAIL = /^[^\s@<>()[\]\\,;:"'?&#%]+@[^\s@<>()[\]\\,;:"'?&#%]+\.[^\s@<>()[\]\\,;:"'?&#%]+$/;

function safeEmail(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return PLAIN_EMAIL.test(trimmed) ? trimmed : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs about a millisecond; the few (locale, zone, style) triples in use are kept. */
function dateFormatter(locale: string, timeZone: string, style: 'long' | 'short'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, weekday: style, month: style, day: 'numeric' });
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const CALENDAR_DAY = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * "Thursday, November 26" / "jeudi 26 novembre". A bare date (or a time
 * without an offset) is a calendar day and is shown as that day; an instant is
 * shown on the store's calendar. Unreadable values are not shown at all.
 */
export function formatDeliveryDate(
  value: string | null | undefined,
  locale: string,
  timeZone: string,
): { long: string; short: string } | null {
  if (typeof value !== 'string') return null;
  const day = CALENDAR_DAY.exec(value.trim())?.[1];
  let instant: number;
  let zone: string;
  if (day !== undefined) {
    instant = Date.parse(`${day}T12:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March; a day that does not survive the round trip is not a day.
    if (Number.isNaN(instant) || new Date(instant).toISOString().slice(0, 10) !== day) return null;
    zone = 'UTC';
  } else {
    instant = Date.parse(value);
    if (Number.isNaN(instant) || !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) return null;
    zone = validTimeZone(timeZone);
  }
  return {
    long: dateFormatter(locale, zone, 'long').format(instant),
    short: dateFormatter(locale, zone, 'short').format(instant),
  };
}

function isProblemKey(key: string): key is JourneyProblemKey {
  return Object.hasOwn(en.problems, key);
}

/** The substatus's own explanation when there is one, else the milestone's. */
function problemKey(input: NotificationTemplateInput): JourneyProblemKey | null {
  if (!EXPLAINS_PROBLEM.has(input.milestone)) return null;
  const kind = input.exceptionKind ?? input.shipment?.substatus;
  const specific = `journey.problem.${String(kind)}`;
  if (kind && isProblemKey(specific)) return specific;
  if (input.shipment?.status === 'failure') return 'journey.problem.failure';
  return input.milestone === 'attempt_failed' ? 'journey.problem.attempt_failed' : 'journey.problem.exception';
}

function journeyMarks(
  steps: NotificationTemplateInput['journey'],
  copy: LocaleCopy,
  accentColour: string,
): JourneyMark[] {
  if (!steps) return [];
  return steps.flatMap((step) => {
    const label = Object.hasOwn(copy.journeySteps, step.key) ? copy.journeySteps[step.key] : undefined;
    const mark = Object.hasOwn(JOURNEY_MARKS, step.state) ? JOURNEY_MARKS[step.state] : undefined;
    if (label === undefined || mark === undefined) return [];
    const colour = step.state === 'current' ? accentColour : step.state === 'done' ? TEXT_COLOUR : MUTED_COLOUR;
    return [{ label, mark, colour, bold: step.state === 'current' }];
  });
}

function render(engine: Eta, template: TemplateFunction, data: object): string {
  return engine.render(template, data);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Abbreviated dates end in a period ("jeu. 26 nov.", "Do., 26. Nov.") and so do sentences: one is enough. */
function renderWords(template: TemplateFunction, context: MessageContext): string {
  return oneLine(render(textEngine, template, context)).replace(/(?<!\.)\.\.(?!\.)/g, '.');
}

/** What the words of every template see as `it`: each value cleaned, links validated, dates formatted. */
function wordsContext(input: NotificationTemplateInput, locale: ResolvedLocale): MessageContext {
  const delivery = SHOWS_DELIVERY_DATE.has(input.milestone)
    ? formatDeliveryDate(input.shipment?.estimatedDelivery, locale.formatting, input.store.timeZone)
    : null;
  return {
    store: cleanText(input.store.branding.displayName) ?? cleanText(input.store.name) ?? '',
    order: cleanText(input.order.number) ?? '',
    customer: cleanText(input.order.customerName),
    carrier: carrierDisplayName(input.shipment?.carrier),
    trackingNumber: cleanText(input.shipment?.trackingNumber),
    edd: delivery?.long ?? null,
    eddShort: delivery?.short ?? null,
    attempt: Number.isSafeInteger(input.attemptNumber) ? input.attemptNumber : 0,
    url: safeHttpUrl(input.trackingUrl),
  };
}

/**
 * A milestone's customer message in the customer's language: the email
 * (subject, branded HTML, plain text) or the SMS body. Pure and synchronous;
 * the caller chooses the recipient, signs the links and sends.
 *
 * Degrades instead of failing: a colour that is not #rgb/#rrggbb falls back to
 * the default, a link that is not http(s) is left out, an unreadable delivery
 * date or time zone is not shown. Throws DomainError `invalid_input` only for
 * a milestone or channel it has no template for.
 */
export function renderNotification(input: NotificationTemplateInput & { channel: 'email' }): RenderedEmail;
export function renderNotification(input: NotificationTemplateInput & { channel: 'sms' }): RenderedSms;
export function renderNotification(input: NotificationTemplateInput): RenderedEmail | RenderedSms;
export function renderNotification(input: NotificationTemplateInput): RenderedEmail | RenderedSms {
  const { milestone, channel } = input;
  if (!isMilestone(milestone)) {
    throw new DomainError('invalid_input', `No template for milestone ${JSON.stringify(milestone)}`, {
      details: { milestone },
    });
  }
  if (channel !== 'email' && channel !== 'sms') {
    throw new DomainError('invalid_input', `No template for channel ${JSON.stringify(channel)}`, {
      details: { channel },
    });
  }

  const locale = resolveNotificationLocale(input.locale, input.store.locale);
  const compiled = COMPILED[locale.language];
  const { copy } = compiled;
  const words = compiled.milestones[milestone];
  const branding = input.store.branding;
  const context = wordsContext(input, locale);
  const { store, url: trackingUrl } = context;

  if (channel === 'sms') {
    const frame: SmsLayoutData = {
      store,
      message: renderWords(words.sms, context),
      url: trackingUrl,
    };
    return { body: toGsm7WhenPossible(oneLine(render(textEngine, SMS_FRAME, frame))) };
  }

  const problem = problemKey(input);
  const primaryColour = safeColour(branding.primaryColor, DEFAULT_PRIMARY_COLOUR);
  const accentColour = safeColour(branding.accentColor, DEFAULT_ACCENT_COLOUR);
  const body = renderWords(words.body, context);
  const details: EmailLayoutData['details'] = [{ label: copy.layout.orderNumber, value: context.order }];
  if (context.carrier) details.push({ label: copy.layout.carrier, value: context.carrier });
  if (context.trackingNumber) details.push({ label: copy.layout.trackingNumber, value: context.trackingNumber });
  if (context.edd) details.push({ label: copy.layout.estimatedDelivery, value: context.edd });

  const layout: EmailLayoutData = {
    lang: locale.language,
    subject: renderWords(words.subject, context),
    preheader: body,
    store,
    logoUrl: safeHttpUrl(branding.logoUrl),
    primaryColour,
    buttonTextColour: readableTextOn(primaryColour),
    accentColour,
    heading: renderWords(words.heading, context),
    greeting: renderWords(compiled.greeting, context),
    body,
    problem: problem ? copy.problems[problem] : null,
    details,
    journey: journeyMarks(input.journey, copy, accentColour),
    trackingUrl,
    supportEmail: safeEmail(branding.supportEmail),
    supportUrl: safeHttpUrl(branding.supportUrl),
    unsubscribeUrl: safeHttpUrl(input.unsubscribeUrl),
    labels: {
      trackButton: copy.layout.trackButton,
      linkFallback: copy.layout.linkFallback,
      needHelp: copy.layout.needHelp,
      helpCentre: copy.layout.helpCentre,
      footer: renderWords(compiled.footer, context),
      unsubscribe: copy.layout.unsubscribe,
      labelSeparator: copy.layout.labelSeparator,
    },
  };

  return {
    subject: layout.subject,
    html: render(htmlEngine, HTML_LAYOUT, layout),
    text: `${render(textEngine, TEXT_LAYOUT, layout)
      .replace(/\n{3,}/g, '\n\n')
      .trim()}\n`,
  };
}

/**
 * What a store's own template (an override) sees as `it`: the variables of
 * the built-in words, plus the links and branding the built-in email layout
 * shows, each cleaned and validated the same way (http(s) links only,
 * #rrggbb colours, a plain support address). Values are plain text; the HTML
 * override escapes them when it interpolates.
 */
export type OverrideVariables = MessageContext & {
  /** The template language (`en`, `es`, `fr`, `de`). */
  lang: SupportedLocale;
  unsubscribeUrl: string | null;
  /** The explanation of an `exception` or `attempt_failed`, in the template language; null otherwise. */
  problem: string | null;
  logoUrl: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
  primaryColour: string;
  accentColour: string;
  /** White or dark text, whichever reads better on the primary colour. */
  buttonTextColour: string;
};

export function overrideVariables(input: NotificationTemplateInput): OverrideVariables {
  const locale = resolveNotificationLocale(input.locale, input.store.locale);
  const branding = input.store.branding;
  const problem = problemKey(input);
  const primaryColour = safeColour(branding.primaryColor, DEFAULT_PRIMARY_COLOUR);
  return {
    ...wordsContext(input, locale),
    lang: locale.language,
    unsubscribeUrl: safeHttpUrl(input.unsubscribeUrl),
    problem: problem ? COMPILED[locale.language].copy.problems[problem] : null,
    logoUrl: safeHttpUrl(branding.logoUrl),
    supportEmail: safeEmail(branding.supportEmail),
    supportUrl: safeHttpUrl(branding.supportUrl),
    primaryColour,
    accentColour: safeColour(branding.accentColor, DEFAULT_ACCENT_COLOUR),
    buttonTextColour: readableTextOn(primaryColour),
  };
}
