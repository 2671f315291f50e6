import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.js';
import type { Milestone } from '../../core/notification/milestone.js';
import { MILESTONES } from '../../core/notification/milestone.js';
import type { Substatus } from '../../core/shipment/shipping-status.js';
import type { NotificationTemplateInput } from './render-notification.js';
import { carrierDisplayName, renderNotification, resolveNotificationLocale } from './render-notification.js';
import { sampleNotificationInput } from './sample-data.js';

const LOCALES = ['en', 'es', 'fr', 'de'] as const;
const CHANNELS = ['email', 'sms'] as const;

function email(input: NotificationTemplateInput) {
  return renderNotification({ ...input, channel: 'email' });
}

function sms(input: NotificationTemplateInput) {
  return renderNotification({ ...input, channel: 'sms' });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? '&#39;');
}

// Counted here rather than imported, so the test does not grade the code with its own ruler.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('^{}\\[~]|€');

function smsSegments(body: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const characters = [...body];
  if (characters.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c))) {
    const septets = characters.reduce((sum, c) => sum + (GSM7_EXTENSION.has(c) ? 2 : 1), 0);
    return { encoding: 'GSM-7', segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const codeUnits = body.length;
  return { encoding: 'UCS-2', segments: codeUnits <= 70 ? 1 : Math.ceil(codeUnits / 67) };
}

type Tag = { name: string; attributes: { name: string; value: string }[] };

/**
 * Every tag of the HTML with its attributes. Good enough for our own output:
 * attribute values are always double-quoted and escaped data holds no `<`,
 * `>` or `"`, so a tag found here is a tag the template wrote (and a `<` that
 * escaping missed would show up as a tag that is not allowed).
 */
function tags(html: string): Tag[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((match) => ({
    name: (match[1] ?? '').toLowerCase(),
    attributes: [...(match[2] ?? '').matchAll(/\s([^\s="]+)(?:="([^"]*)")?/g)].map((attribute) => ({
      name: (attribute[1] ?? '').toLowerCase(),
      value: attribute[2] ?? '',
    })),
  }));
}

/** Tag and attribute names in order: what the document is, without what it says. */
function skeleton(html: string): string {
  return tags(html)
    .map((tag) => `${tag.name}[${tag.attributes.map((attribute) => attribute.name).join(',')}]`)
    .join(' ');
}

const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'table',
  'tr',
  'td',
  'img',
  'h1',
  'p',
  'span',
  'a',
  'br',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'lang',
  'charset',
  'name',
  'content',
  'style',
  'role',
  'width',
  'height',
  'cellpadding',
  'cellspacing',
  'border',
  'align',
  'bgcolor',
  'src',
  'alt',
  'href',
  'target',
]);

/** What must hold of any HTML we send, whatever the data: a list of what does not, empty when inert. */
function unsafeParts(html: string): string[] {
  const found: string[] = [];
  if (/<script|<img[^>]*onerror|javascript:|data:text/i.test(html)) found.push('script, handler or script URL');
  if (html.match(/<!DOCTYPE/gi)?.length !== 1) found.push('not exactly one document');
  for (const tag of tags(html)) {
    if (!ALLOWED_TAGS.has(tag.name)) found.push(`<${tag.name}>`);
    for (const { name, value } of tag.attributes) {
      if (!ALLOWED_ATTRIBUTES.has(name)) found.push(`${tag.name}[${name}]`);
      if ((name === 'href' || name === 'src') && !/^(?:https?:\/\/|mailto:[^:?&]+$)/.test(value)) {
        found.push(`${tag.name}[${name}="${value}"]`);
      }
      if ((name === 'style' || name === 'bgcolor') && /url\(|expression|javascript|&quot;|&#39;|;\s*;/i.test(value)) {
        found.push(`${tag.name}[${name}="${value}"]`);
      }
    }
  }
  return found;
}

function expectInertHtml(html: string): void {
  expect(unsafeParts(html)).toEqual([]);
}

const HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>\'';

function hostileInput(milestone: Milestone): NotificationTemplateInput {
  const sample = sampleNotificationInput(milestone, 'en');
  return {
    ...sample,
    locale: HOSTILE,
    store: {
      name: `${HOSTILE} store`,
      locale: HOSTILE,
      timeZone: HOSTILE,
      branding: {
        displayName: `<b>Shop</b>${HOSTILE}\r\nBcc: victim@example.com`,
        logoUrl: 'javascript:alert(1)//.png',
        primaryColor: 'red;background:url(javascript:alert(1))',
        accentColor: '#fff" onmouseover="alert(1)',
        supportEmail: `"><script>alert(1)</script>@example.com`,
        supportUrl: 'javascript:alert(document.cookie)',
      },
    },
    order: { number: `#1042${HOSTILE}`, customerName: `<script>alert(1)</script>${HOSTILE}` },
    shipment: {
      carrier: HOSTILE,
      trackingNumber: `1Z${HOSTILE}`,
      status: 'exception',
      substatus: HOSTILE as Substatus,
      estimatedDelivery: HOSTILE,
    },
    journey: sample.journey,
    trackingUrl: 'javascript:alert(1)',
    unsubscribeUrl: 'data:text/html,<script>alert(1)</script>',
    attemptNumber: 2,
    exceptionKind: HOSTILE as Substatus,
  };
}

describe('renderNotification', () => {
  describe.each(LOCALES)('in %s', (locale) => {
    it.each(MILESTONES)(
      'should render the email with the order number and tracking link when the milestone is %s',
      (milestone) => {
        const input = sampleNotificationInput(milestone, locale);

        const rendered = email(input);

        expect(rendered.subject).toContain('#1042');
        expect(rendered.subject).not.toMatch(/[\r\n]/);
        expect(rendered.html).toContain('#1042');
        expect(rendered.html).toContain(`href="${escapeHtml(input.trackingUrl)}"`);
        expect(rendered.html).toContain(`<html lang="${locale}">`);
        expect(rendered.text).toContain('#1042');
        expect(rendered.text).toContain(input.trackingUrl);
        expect(rendered.text).toContain(input.unsubscribeUrl);
        expect(rendered.text).not.toMatch(/<[a-z]|&[a-z]+;|undefined|null/i);
        expect(rendered.html).not.toMatch(/undefined|null|NaN/);
        expectInertHtml(rendered.html);
      },
    );

    it.each(MILESTONES)(
      'should render an SMS with the store, order number and tracking link when the milestone is %s',
      (milestone) => {
        const input = sampleNotificationInput(milestone, locale, 'sms');

        const { body } = sms(input);

        expect(body.startsWith('Northwind Outfitters: ')).toBe(true);
        expect(body).toContain('#1042');
        expect(body.endsWith(` ${input.trackingUrl}`)).toBe(true);
        expect(body).not.toMatch(/[\r\n]|undefined|null/);
      },
    );

    it.each(MILESTONES)('should fit the SMS in two GSM-7 segments when the milestone is %s', (milestone) => {
      const { body } = sms(sampleNotificationInput(milestone, locale, 'sms'));

      expect(smsSegments(body)).toEqual({ encoding: 'GSM-7', segments: expect.any(Number) as number });
      expect(smsSegments(body).segments).toBeLessThanOrEqual(2);
    });
  });

  it('should render every milestone × locale × channel without throwing', () => {
    for (const milestone of MILESTONES) {
      for (const locale of LOCALES) {
        for (const channel of CHANNELS) {
          expect(() => renderNotification(sampleNotificationInput(milestone, locale, channel))).not.toThrow();
        }
      }
    }
  });

  describe('escaping', () => {
    it.each(MILESTONES)('should turn hostile data in every field inert when the milestone is %s', (milestone) => {
      const rendered = email(hostileInput(milestone));

      expectInertHtml(rendered.html);
      expect(rendered.html).toContain(escapeHtml(`<script>alert(1)</script>${HOSTILE}`));
      expect(rendered.html).toContain('&lt;b&gt;Shop&lt;/b&gt;');
      expect(rendered.subject).not.toMatch(/[\r\n]/);
    });

    it('should escape the customer name, order number, carrier and tracking number where they appear', () => {
      const { html } = email(hostileInput('attempt_failed'));

      expect(html).toContain(`Hi ${escapeHtml(`<script>alert(1)</script>${HOSTILE}`)},`);
      expect(html).toContain(escapeHtml(`#1042${HOSTILE}`));
      expect(html).toContain(escapeHtml(`1Z${HOSTILE}`));
      expect(html).toContain(escapeHtml(HOSTILE.toUpperCase()));
    });

    it('should leave out links that are not http(s) and fall back to default colours when branding is hostile', () => {
      const { html, text } = email(hostileInput('shipped'));

      expect(html).not.toContain('<img');
      expect(html).not.toContain('Track your order</a>');
      expect(html).not.toContain('mailto:');
      expect(html).not.toContain('Unsubscribe');
      expect(html).toContain('border-top:4px solid #2563eb;');
      expect(html).not.toMatch(/red;|onmouseover/);
      expect(text).not.toMatch(/javascript:|data:text/);
    });

    it('should keep the document structure whatever text the store, customer, order and parcel carry', () => {
      const expected = skeleton(email(sampleNotificationInput('exception', 'en')).html);
      // Markup and line-breaking characters often, any other character otherwise; the leading
      // letter keeps every field present, so the expected structure does not change.
      const markup = fc.constantFrom('<', '>', '"', "'", '&', '=', ';', '/', '\r\n', '\u0000', '\u202e', '\u2028');
      const character = fc.oneof(markup, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
      const text = fc.string({ unit: character, maxLength: 40 }).map((value) => `A${value}`);

      fc.assert(
        fc.property(text, text, text, text, text, (store, customer, order, carrier, tracking) => {
          const sample = sampleNotificationInput('exception', 'en');
          const { html } = email({
            ...sample,
            store: { ...sample.store, branding: { ...sample.store.branding, displayName: store } },
            order: { number: order, customerName: customer },
            shipment: sample.shipment && { ...sample.shipment, carrier, trackingNumber: tracking },
          });
          expect(skeleton(html)).toBe(expected);
          expectInertHtml(html);
        }),
        { numRuns: 150 },
      );
    });

    it('should print template syntax in data literally instead of running it', () => {
      const sample = sampleNotificationInput('delivered', 'en');
      const input = { ...sample, order: { number: '#1042', customerName: '<%= it.store %><% throw 1 %>' } };

      const rendered = email(input);

      expect(rendered.text).toContain('Hi <%= it.store %><% throw 1 %>,');
      expect(rendered.html).toContain('Hi &lt;%= it.store %&gt;&lt;% throw 1 %&gt;,');
    });

    it('should strip line breaks and bidi overrides from names when they would break a line or disguise text', () => {
      const sample = sampleNotificationInput('delivered', 'en');
      const input: NotificationTemplateInput = {
        ...sample,
        store: { ...sample.store, branding: { ...sample.store.branding, displayName: 'Evil\r\nBcc: x@y.z' } },
        order: { number: '#10\u202e24', customerName: 'Alex\u0000 Morgan' },
      };

      const rendered = email(input);
      const { body } = sms(input);

      expect(rendered.subject).toBe('Your order #10 24 has been delivered');
      expect(rendered.text).toContain('Hi Alex Morgan,');
      expect(body.startsWith('Evil Bcc: x@y.z: ')).toBe(true);
    });
  });

  describe('locale', () => {
    it('should use the language templates when the customer has a regional tag', () => {
      const mexican = email(sampleNotificationInput('shipped', 'es-MX'));
      const spanish = email(sampleNotificationInput('shipped', 'es'));

      expect(mexican.subject).toBe(spanish.subject);
      expect(mexican.subject).toBe('Tu pedido #1042 está en camino');
    });

    it("should fall back to the store's locale when the customer's language has no templates", () => {
      const sample = sampleNotificationInput('delivered', 'pt-BR');

      const rendered = email({ ...sample, store: { ...sample.store, locale: 'fr-FR' } });

      expect(rendered.subject).toBe('Votre commande #1042 a été livrée');
      expect(rendered.html).toContain('<html lang="fr">');
    });

    it("should fall back to the store's locale when the customer's language is unknown", () => {
      const sample = sampleNotificationInput('delivered', 'en');

      const rendered = email({ ...sample, locale: null, store: { ...sample.store, locale: 'de_DE' } });

      expect(rendered.subject).toBe('Ihre Bestellung #1042 wurde zugestellt');
    });

    it('should fall back to English when neither the customer nor the store has a supported language', () => {
      const sample = sampleNotificationInput('delivered', 'ja');

      const rendered = email({ ...sample, store: { ...sample.store, locale: 'it-IT' } });

      expect(rendered.subject).toBe('Your order #1042 has been delivered');
    });

    it.each([
      ['es-MX', 'en-US', { language: 'es', formatting: 'es-MX' }],
      ['pt-BR', 'fr-CA', { language: 'fr', formatting: 'fr-CA' }],
      [null, 'de_AT', { language: 'de', formatting: 'de-AT' }],
      ['FR', null, { language: 'fr', formatting: 'fr' }],
      ['de-DE,de;q=0.9,en;q=0.8', null, { language: 'de', formatting: 'de-DE' }],
      ['en-US-u-ca-buddhist', null, { language: 'en', formatting: 'en-US' }],
      ['not a language!', 'also nonsense', { language: 'en', formatting: 'en' }],
      ['', undefined, { language: 'en', formatting: 'en' }],
    ])('should resolve %j with store locale %j to %j', (customer, store, expected) => {
      expect(resolveNotificationLocale(customer, store)).toEqual(expected);
    });

    it.each(['es', 'fr', 'de'])('should translate every subject, heading and SMS when the locale is %s', (locale) => {
      const english = /\b(?:your|order|has|been|the|delivered|shipped|today|parcel|track|update)\b/i;
      for (const milestone of MILESTONES) {
        const translated = email(sampleNotificationInput(milestone, locale));
        const original = email(sampleNotificationInput(milestone, 'en'));
        const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(translated.html)?.[1] ?? '';
        const { body } = sms(sampleNotificationInput(milestone, locale, 'sms'));
        const smsMessage = body.replace(/^Northwind Outfitters: /, '').replace(/ https:\S+$/, '');

        expect(translated.subject, milestone).not.toBe(original.subject);
        expect(translated.subject, milestone).not.toMatch(english);
        expect(heading, milestone).not.toMatch(english);
        expect(smsMessage, milestone).not.toMatch(english);
      }
    });
  });

  describe('estimated delivery', () => {
    function deliveryLine(locale: string, estimatedDelivery: string | null, timeZone = 'America/New_York'): string {
      const sample = sampleNotificationInput('shipped', locale);
      const { text } = email({
        ...sample,
        store: { ...sample.store, timeZone },
        shipment: sample.shipment && { ...sample.shipment, estimatedDelivery },
      });
      const labels = ['Estimated delivery', 'Entrega estimada', 'Livraison estimée', 'Voraussichtliche Zustellung'];
      return text.split('\n').find((line) => labels.some((label) => line.startsWith(`${label}`))) ?? '';
    }

    it.each([
      ['en', 'Estimated delivery: Thursday, November 26'],
      ['en-GB', 'Estimated delivery: Thursday 26 November'],
      ['es', 'Entrega estimada: jueves, 26 de noviembre'],
      ['fr', 'Livraison estimée : jeudi 26 novembre'],
      ['de', 'Voraussichtliche Zustellung: Donnerstag, 26. November'],
    ])('should write the delivery day in the language of %s', (locale, expected) => {
      expect(deliveryLine(locale, '2026-11-26')).toBe(expected);
    });

    it("should show a delivery instant on the store's calendar when the carrier gives a time", () => {
      expect(deliveryLine('en', '2026-11-27T03:30:00Z', 'America/Los_Angeles')).toBe(
        'Estimated delivery: Thursday, November 26',
      );
      expect(deliveryLine('en', '2026-11-27T03:30:00Z', 'Europe/Berlin')).toBe(
        'Estimated delivery: Friday, November 27',
      );
    });

    it('should show the calendar day when the carrier gives a time without an offset', () => {
      expect(deliveryLine('en', '2026-11-26T20:00:00', 'Asia/Tokyo')).toBe('Estimated delivery: Thursday, November 26');
    });

    it('should use UTC when the store time zone is not a real zone', () => {
      expect(deliveryLine('en', '2026-11-27T03:30:00Z', 'Mars/Olympus_Mons')).toBe(
        'Estimated delivery: Friday, November 27',
      );
    });

    it.each(['2026-02-30', 'soon', '2026-13-01', ''])('should leave the delivery date out when it is %j', (value) => {
      expect(deliveryLine('en', value)).toBe('');
    });

    it('should mention the date in the SMS in short form when the milestone is shipped', () => {
      const { body } = sms(sampleNotificationInput('shipped', 'fr', 'sms'));

      expect(body).toContain('livraison le jeu. 26 nov. https://');
    });

    it('should leave the delivery date out when the parcel has been delivered', () => {
      const sample = sampleNotificationInput('delivered', 'en');
      const { text } = email({
        ...sample,
        shipment: sample.shipment && { ...sample.shipment, estimatedDelivery: '2026-11-26' },
      });

      expect(text).not.toContain('Estimated delivery');
    });
  });

  describe('content', () => {
    it.each([
      ['ups', 'UPS'],
      ['fedex', 'FedEx'],
      ['usps', 'USPS'],
      ['dhl', 'DHL'],
      ['sandbox', 'Sandbox Carrier'],
      ['FedEx', 'FedEx'],
      ['royal-mail', 'ROYAL MAIL'],
      ['canada_post', 'CANADA POST'],
      ['constructor', 'CONSTRUCTOR'],
      [null, null],
      ['  ', null],
    ])('should name carrier %j as %j', (code, name) => {
      expect(carrierDisplayName(code)).toBe(name);
    });

    it('should show the carrier and tracking number when the message is about a parcel', () => {
      const { text } = email(sampleNotificationInput('in_transit', 'en'));

      expect(text).toContain('Carrier: UPS');
      expect(text).toContain('Tracking number: 1Z999AA10123456784');
      expect(text).toContain('UPS has your parcel for order #1042');
    });

    it('should leave parcel details out when the message is about the order', () => {
      const { text } = email(sampleNotificationInput('order_confirmed', 'en'));

      expect(text).toContain('Order: #1042');
      expect(text).not.toMatch(/Carrier|Tracking number|Estimated delivery/);
    });

    it("should explain the carrier's problem in the customer's language when there is an exception", () => {
      const english = email(sampleNotificationInput('exception', 'en'));
      const spanish = email(sampleNotificationInput('exception', 'es'));

      expect(english.html).toContain('Your parcel is being held in customs.');
      expect(spanish.html).toContain('Tu paquete está retenido en aduanas.');
    });

    it('should fall back to the general explanation when the exception kind has none of its own', () => {
      const sample = sampleNotificationInput('exception', 'fr');

      const { text } = email({ ...sample, exceptionKind: 'exception_other' });

      expect(text).toContain("Un problème est survenu avec votre livraison. Le transporteur s'en occupe.");
    });

    it('should say the parcel cannot be delivered when the carrier has given up on it', () => {
      const sample = sampleNotificationInput('exception', 'en');

      const { text } = email({
        ...sample,
        exceptionKind: null,
        shipment: sample.shipment && { ...sample.shipment, status: 'failure', substatus: 'undeliverable' },
      });

      expect(text).toContain("Your parcel can't be delivered. Please contact the store.");
    });

    it('should name the attempt when a later delivery attempt failed', () => {
      const sample = sampleNotificationInput('attempt_failed', 'de');

      const { text } = email({ ...sample, attemptNumber: 2 });

      expect(text).toContain('UPS konnte Ihr Paket der Bestellung #1042 beim 2. Versuch nicht zustellen.');
      expect(text).toContain('aber es war niemand anzutreffen');
    });

    it('should announce another attempt when the parcel is out for delivery again', () => {
      const sample = sampleNotificationInput('out_for_delivery', 'en');

      const { html } = email({ ...sample, attemptNumber: 2 });

      expect(html).toContain('>Another delivery attempt today</h1>');
    });

    it('should greet without a name when the customer has none', () => {
      const sample = sampleNotificationInput('delivered', 'es');

      const { text } = email({ ...sample, order: { ...sample.order, customerName: null } });

      expect(text).toContain('\nHola:\n');
    });

    it('should draw the journey with the current step marked when steps are given', () => {
      const { html, text } = email(sampleNotificationInput('in_transit', 'en'));

      expect(text).toContain('✓ Ordered > ✓ Processing > ✓ Shipped > ● In transit > ○ Out for delivery > ○ Delivered');
      expect(html).toContain('color:#f59e0b;font-weight:bold;">●&nbsp;In transit</span>');
    });

    it('should leave the journey out when no steps are given', () => {
      const { text } = email({ ...sampleNotificationInput('in_transit', 'en'), journey: null });

      expect(text).not.toContain('●');
    });
  });

  describe('branding', () => {
    function branded(branding: Partial<NotificationTemplateInput['store']['branding']>) {
      const sample = sampleNotificationInput('shipped', 'en');
      return email({ ...sample, store: { ...sample.store, branding: { ...sample.store.branding, ...branding } } });
    }

    it('should show the logo, the primary colour button and the support contacts when the store has them', () => {
      const { html } = branded({});

      expect(html).toContain(
        '<img src="https://cdn.northwind.example/brand/logo-240x80.png" alt="Northwind Outfitters"',
      );
      expect(html).toContain('bgcolor="#1d4ed8"');
      expect(html).toMatch(/color:#ffffff;text-decoration:none;[^>]*>Track your order<\/a>/);
      expect(html).toContain('border-top:4px solid #f59e0b;');
      expect(html).toContain('href="mailto:help@northwind.example"');
      expect(html).toContain('href="https://northwind.example/pages/help"');
    });

    it('should show the store name instead of a logo when the store has none', () => {
      const { html } = branded({ logoUrl: null, displayName: null });

      expect(html).not.toContain('<img');
      expect(html).toContain('font-weight:bold;">Northwind Outfitters</div>');
    });

    it('should expand #rgb colours and use dark text on a light button', () => {
      const { html } = branded({ primaryColor: '#FD8' });

      expect(html).toContain('bgcolor="#ffdd88"');
      expect(html).toMatch(/color:#111827;text-decoration:none;[^>]*>Track your order<\/a>/);
    });

    it.each(['blue', 'rgb(0,0,0)', '#12345', '#1234567', 'expression(alert(1))', ''])(
      'should use the default colours when the colour is %j',
      (colour) => {
        const { html } = branded({ primaryColor: colour, accentColor: colour });

        expect(html).toContain('bgcolor="#111827"');
        expect(html).toContain('border-top:4px solid #2563eb;');
      },
    );

    it('should leave the help line out when the store has no support contacts', () => {
      const { html, text } = branded({ supportEmail: null, supportUrl: null });

      expect(html).not.toContain('Need help?');
      expect(text).not.toContain('Need help?');
    });

    it.each(['help at northwind', 'help@northwind.example?bcc=victim@example.com', 'a@b'])(
      'should leave out a support email that is not a plain address: %j',
      (supportEmail) => {
        const { html } = branded({ supportEmail });

        expect(html).not.toContain('mailto:');
      },
    );
  });

  describe('SMS encoding', () => {
    it('should fold Spanish accents away so the SMS stays GSM-7', () => {
      const { body } = sms(sampleNotificationInput('out_for_delivery', 'es', 'sms'));

      expect(body).toContain('tu pedido #1042 esta en reparto y llega hoy.');
    });

    it('should keep accents when an emoji in the store name makes the SMS Unicode anyway', () => {
      const sample = sampleNotificationInput('out_for_delivery', 'es', 'sms');

      const { body } = sms({
        ...sample,
        store: { ...sample.store, branding: { ...sample.store.branding, displayName: 'Tienda 📦' } },
      });

      expect(body).toContain('Tienda 📦: tu pedido #1042 está en reparto y llega hoy.');
      expect(smsSegments(body).encoding).toBe('UCS-2');
    });

    it('should leave the link out of the SMS when the tracking link is not http(s)', () => {
      const { body } = sms({
        ...sampleNotificationInput('delivered', 'en', 'sms'),
        trackingUrl: 'javascript:alert(1)',
      });

      expect(body).toBe('Northwind Outfitters: your order #1042 has been delivered. Enjoy!');
    });

    it('should count segments the way carriers do', () => {
      expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
      expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
      expect(smsSegments('€'.repeat(153))).toEqual({ encoding: 'GSM-7', segments: 2 });
      expect(smsSegments('í'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
      expect(smsSegments('í'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
    });
  });

  describe('errors', () => {
    it('should refuse with invalid_input when the milestone has no template', () => {
      const input = { ...sampleNotificationInput('delivered', 'en'), milestone: 'teleported' as Milestone };

      expect(() => renderNotification(input)).toThrow(DomainError);
      expect(() => renderNotification(input)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    });

    it('should refuse with invalid_input when the channel is not email or SMS', () => {
      const input = { ...sampleNotificationInput('delivered', 'en'), channel: 'webhook' as 'email' };

      expect(() => renderNotification(input)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    });
  });
});
