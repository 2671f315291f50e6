import type { JourneyStepKey, JourneyTextKey } from '../../../core/journey/customer-journey.js';
import type { Milestone } from '../../../core/notification/milestone.js';

export const SUPPORTED_LOCALES = ['en', 'es', 'fr', 'de'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** The delivery problems the tracking page explains (`journey.problem.*`); emails explain the same ones. */
export type JourneyProblemKey = Extract<JourneyTextKey, `journey.problem.${string}`>;

/**
 * What every snippet template sees as `it`. All values are plain text,
 * already cleaned of control characters; the HTML layout escapes them, so a
 * snippet never escapes anything itself.
 */
export type MessageContext = {
  /** The store's display name. */
  store: string;
  /** The customer-facing order number, as the platform shows it (`#1042`). */
  order: string;
  customer: string | null;
  /** Human carrier name (`UPS`), null for order-level messages or an unknown carrier. */
  carrier: string | null;
  trackingNumber: string | null;
  /** Estimated delivery, long form ("Thursday, November 26"); null when unknown or not worth telling. */
  edd: string | null;
  /** The same date, short form for SMS ("Thu, Nov 26"). */
  eddShort: string | null;
  /** The delivery attempt: the one under way (`out_for_delivery`) or the one that failed (`attempt_failed`). */
  attempt: number;
  /** The tracking link, or null when the link given was not http(s). */
  url: string | null;
};

/**
 * One milestone's words. Each string is an Eta template rendered as plain text
 * with `it: MessageContext`; use `<% if (it.x) { %>…<% } %>` for optional parts.
 */
export type MilestoneCopy = {
  subject: string;
  /** The headline at the top of the email. */
  heading: string;
  /** What happened and what comes next, one paragraph. */
  body: string;
  /**
   * The SMS message. It follows "Store name: " (lower-case start where the
   * language allows) and the layout appends the tracking link. Keep it near 50
   * characters: a signed link takes about 110 of the 306 that two GSM-7
   * segments hold.
   */
  sms: string;
};

/** Fixed labels of the email layout. Strings marked Eta take `it: MessageContext`. */
export type LayoutLabels = {
  /** Eta: the salutation, with or without the customer's name. */
  greeting: string;
  orderNumber: string;
  carrier: string;
  trackingNumber: string;
  estimatedDelivery: string;
  trackButton: string;
  /** Shown above the raw tracking link, for clients that hide buttons. */
  linkFallback: string;
  needHelp: string;
  helpCentre: string;
  /** Eta: why this email was sent. */
  footer: string;
  unsubscribe: string;
  /** Between a label and its value in the plain-text email (French puts a space before the colon). */
  labelSeparator: string;
};

/** Everything one language provides. The types make a missing translation a compile error. */
export type LocaleCopy = {
  milestones: Record<Milestone, MilestoneCopy>;
  layout: LayoutLabels;
  journeySteps: Record<JourneyStepKey, string>;
  problems: Record<JourneyProblemKey, string>;
};
