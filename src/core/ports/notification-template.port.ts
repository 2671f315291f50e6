import type { Milestone } from '../notification/milestone.js';
import type { Store } from '../store/store.js';
import type { MessageContext } from './notifier.port.js';
import type { NotificationRecord } from './storage.port.js';

/**
 * A store's own wording for a message, replacing Waymark's built-in template
 * for one (milestone, channel, locale). Overrides are Eta templates, like the
 * built-ins, over the same variables; the renderer (`web/notifications`)
 * accepts only interpolations and if/else on those variables, so a template
 * can never run code on the server.
 */

/** Channels a merchant writes words for; merchant webhooks carry data, not words. */
export const TEMPLATE_CHANNELS = ['email', 'sms'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** The languages Waymark ships templates in; an override replaces one of them. */
export const TEMPLATE_LOCALES = ['en', 'es', 'fr', 'de'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

export type TemplateKey = { milestone: Milestone; channel: TemplateChannel; locale: TemplateLocale };

/**
 * The replaced parts. Email: any of `subject`, `html`, `text` (a part left
 * null keeps the built-in one, so a store can change only its subject line);
 * SMS: `body`, the whole text message, link included.
 */
export type TemplateParts = {
  subject: string | null;
  html: string | null;
  text: string | null;
  body: string | null;
};

export type NotificationTemplate = TemplateKey &
  TemplateParts & {
    storeId: string;
    createdAt: string;
    updatedAt: string;
  };

export interface NotificationTemplateStore {
  findTemplate(storeId: string, key: TemplateKey): Promise<NotificationTemplate | undefined>;
  /** Every override of the store, ordered by milestone, channel and locale. */
  listTemplates(storeId: string): Promise<NotificationTemplate[]>;
  /** Inserts or replaces the override under its key. */
  saveTemplate(
    storeId: string,
    key: TemplateKey,
    parts: TemplateParts,
    now: string,
  ): Promise<{ template: NotificationTemplate; created: boolean }>;
  deleteTemplate(storeId: string, key: TemplateKey): Promise<boolean>;
}

/**
 * What a message is rendered from: a real message's context, or the sample
 * order of the previews (`web/notifications/sample-data.ts`) shown under the
 * store's own name, branding and time zone.
 */
export type RenderSubject =
  { kind: 'message'; context: MessageContext } | { kind: 'sample'; store: Store; milestone: Milestone; locale: string };

export type RenderedMessage =
  | { channel: 'email'; subject: string; html: string; text: string }
  | {
      channel: 'sms';
      /** Already cut to Waymark's segment budget, as it would be sent. */
      body: string;
      segments: number;
      encoding: 'GSM-7' | 'UCS-2';
    };

/** Built-in and override templates, as use cases see them. Implemented in `web/notifications/`. */
export interface TemplateRenderer {
  /** The template language a message is written in: the customer's, else the store's, else English. */
  languageFor(customerLanguage: string | null, storeLocale: string | null): TemplateLocale;
  /**
   * The message from the override when one is given, else from the built-in
   * template. Throws DomainError `invalid_input` (with `details.part` and
   * `details.line`) when the override does not render.
   */
  render(subject: RenderSubject, channel: TemplateChannel, override: TemplateParts | null): RenderedMessage;
  /**
   * The checks an override passes before it is saved: the right parts for the
   * channel, each within its size limit, compiling, using only known
   * variables, and rendering sample data within the time limit. Throws
   * DomainError `invalid_input` naming the part and line at fault.
   */
  validate(key: TemplateKey, parts: TemplateParts): void;
}

/** Every idempotency key of a test send starts with this; no planned message ever does. */
export const TEST_NOTIFICATION_KEY_PREFIX = 'test:';

export function isTestNotification(record: Pick<NotificationRecord, 'idempotencyKey'>): boolean {
  return record.idempotencyKey.startsWith(TEST_NOTIFICATION_KEY_PREFIX);
}

export type NewTestNotification = {
  storeId: string;
  milestone: string;
  channel: TemplateChannel;
  recipient: string;
  idempotencyKey: string;
  /** What was tested: `{ test: true, locale, source, orderId }`. */
  payload: Record<string, unknown>;
};

/**
 * Test sends are written to the notification ledger like any message, but
 * never against an order (`orderId` stays null, the order is named in the
 * payload) and with a `test:` key, so they never take the place of, or count
 * as, a customer's milestone message.
 */
export interface TestNotificationLog {
  /** Records the send as `sending`, before the provider call. */
  recordTestNotification(input: NewTestNotification, now: string): Promise<string>;
  finishTestNotification(
    id: string,
    outcome: { state: 'sent'; providerMessageId: string } | { state: 'failed'; reason: string },
    now: string,
  ): Promise<void>;
  /** The store's test sends, newest first. */
  listTestNotifications(storeId: string, limit: number): Promise<NotificationRecord[]>;
}
