import { describe, expect, it } from 'vitest';

import { DomainError } from '../../core/errors.js';
import { MILESTONES } from '../../core/notification/milestone.js';
import { TEMPLATE_LOCALES, type TemplateKey, type TemplateParts } from '../../core/ports/notification-template.port.js';
import { renderNotification, type RenderedEmail, type RenderedSms } from './render-notification.js';
import { sampleNotificationInput } from './sample-data.js';
import { OVERRIDE_VARIABLE_NAMES, renderOverride, TEMPLATE_LIMITS, validateOverride } from './template-override.js';
import { de } from './templates/de.js';
import { en } from './templates/en.js';
import { es } from './templates/es.js';
import { fr } from './templates/fr.js';
import { SUPPORTED_LOCALES } from './templates/locale-copy.js';

const NONE: TemplateParts = { subject: null, html: null, text: null, body: null };
const EMAIL_KEY: TemplateKey = { milestone: 'shipped', channel: 'email', locale: 'en' };
const SMS_KEY: TemplateKey = { milestone: 'out_for_delivery', channel: 'sms', locale: 'en' };

function email(parts: Partial<TemplateParts>, input = sampleNotificationInput('shipped', 'en')): RenderedEmail {
  return renderOverride(input, { ...NONE, ...parts }) as RenderedEmail;
}

function rejection(key: TemplateKey, parts: Partial<TemplateParts>, limits = TEMPLATE_LIMITS): DomainError {
  try {
    validateOverride(key, { ...NONE, ...parts }, limits);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the template to be rejected');
}

describe('renderOverride', () => {
  it('should render every part from the override with the sample variables', () => {
    const rendered = email({
      subject: '<%= it.store %>: <%= it.order %> left with <%= it.carrier %>',
      html: '<p>Hi <%= it.customer %>, track at <a href="<%= it.url %>">here</a></p>',
      text: 'Hi <%= it.customer %>\n\n\n\nDue <%= it.edd %>',
    });

    expect(rendered.subject).toBe('Northwind Outfitters: #1042 left with UPS');
    expect(rendered.html).toMatch(/^<p>Hi Alex Morgan, track at <a href="https:\/\/track\.northwind\.example\/t\//);
    expect(rendered.text).toBe('Hi Alex Morgan\n\nDue Thursday, November 26\n');
  });

  it('should escape values in the html part and only there', () => {
    const sample = sampleNotificationInput('shipped', 'en');
    const input = { ...sample, order: { ...sample.order, customerName: 'Tom & <b>Jerry</b>' } };

    const rendered = email(
      { subject: 'For <%= it.customer %>', html: '<p><%= it.customer %></p>', text: '<%= it.customer %>' },
      input,
    );

    expect(rendered.html).toBe('<p>Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;</p>');
    expect(rendered.subject).toBe('For Tom & <b>Jerry</b>');
    expect(rendered.text).toBe('Tom & <b>Jerry</b>\n');
  });

  it('should keep the built-in parts the override leaves out', () => {
    const input = sampleNotificationInput('delivered', 'fr');
    const builtIn = renderNotification({ ...input, channel: 'email' });

    const rendered = email({ subject: 'Livré : <%= it.order %>' }, input);

    expect(rendered).toEqual({ subject: 'Livré : #1042', html: builtIn.html, text: builtIn.text });
  });

  it('should print nothing for a missing value and take the else branch', () => {
    const sample = sampleNotificationInput('shipped', 'en');
    const input = { ...sample, order: { ...sample.order, customerName: null } };

    const rendered = email(
      { text: '[<%= it.customer %>] <% if (it.customer) { %>named<% } else { %>anonymous<% } %>' },
      input,
    );

    expect(rendered.text).toBe('[] anonymous\n');
  });

  it('should compare with literals and join conditions', () => {
    const input = { ...sampleNotificationInput('out_for_delivery', 'en'), attemptNumber: 2 };
    const template =
      "<% if (it.attempt > 1 && it.lang === 'en') { %>again<% } else if (!it.carrier || it.attempt == 1) { %>first<% } %>";

    expect(email({ subject: template }, input).subject).toBe('again');
    expect(email({ subject: template }, { ...input, attemptNumber: 1 }).subject).toBe('first');
  });

  it('should write an SMS on one line, folded to GSM-7 when it can be', () => {
    const input = sampleNotificationInput('out_for_delivery', 'es', 'sms');

    const { body } = renderOverride(input, {
      ...NONE,
      body: '<%= it.store %>:\n  ¡tu pedido <%= it.order %> llegará hoy!',
    }) as RenderedSms;

    expect(body).toBe('Northwind Outfitters: ¡tu pedido #1042 llegara hoy!');
  });

  it('should refuse code in a template that was never validated, before compiling it', () => {
    const input = sampleNotificationInput('shipped', 'en');
    const hostile = '<% globalThis.hacked = true %>';

    expect(() => email({ subject: hostile }, input)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect((globalThis as { hacked?: boolean }).hacked).toBeUndefined();
  });

  it.each([
    ['en', en],
    ['es', es],
    ['fr', fr],
    ['de', de],
  ])('should accept the built-in words of %s as overrides and render them the way Waymark does', (locale, copy) => {
    for (const milestone of MILESTONES) {
      const input = sampleNotificationInput(milestone, locale);
      const builtIn = renderNotification({ ...input, channel: 'email' });

      validateOverride(
        { milestone, channel: 'email', locale: locale as TemplateKey['locale'] },
        { ...NONE, subject: copy.milestones[milestone].subject },
      );
      const rendered = email({ subject: copy.milestones[milestone].subject }, input);

      expect(rendered.subject, milestone).toBe(builtIn.subject);
    }
  });
});

describe('validateOverride', () => {
  it('should accept overrides in exactly the languages Waymark has templates for', () => {
    expect([...TEMPLATE_LOCALES]).toEqual([...SUPPORTED_LOCALES]);
  });

  it('should accept a full email and an SMS using every variable', () => {
    const everything = OVERRIDE_VARIABLE_NAMES.map((name) => `<% if (it.${name}) { %><%= it.${name} %><% } %>`).join(
      ' ',
    );

    expect(() =>
      validateOverride(EMAIL_KEY, { subject: 'Hi', html: everything, text: everything, body: null }),
    ).not.toThrow();
    expect(() => validateOverride(SMS_KEY, { ...NONE, body: everything })).not.toThrow();
  });

  it.each([
    ['raw output', { html: '<p>\n<%~ it.customer %></p>' }, 'html', 2, 'raw output <%~ %> is not allowed'],
    ['an unknown variable', { text: 'a\nb\n<%= it.ordr %>' }, 'text', 3, 'unknown variable it.ordr'],
    ['a prototype property', { subject: '<%= it.constructor %>' }, 'subject', 1, 'unknown variable it.constructor'],
    ['an expression', { subject: '<%= it.order + 1 %>' }, 'subject', 1, 'is not allowed; write <%= it.name %>'],
    ['an Eta helper', { html: '\n<%= include("x") %>' }, 'html', 2, 'is not allowed'],
    ['a statement', { text: '<% process.exit(1) %>' }, 'text', 1, 'only <% if (it.name) { %>'],
    [
      'a function call in a condition',
      { text: '<% if (it.order.startsWith("#")) { %>x<% } %>' },
      'text',
      1,
      'is not allowed',
    ],
    ['an unclosed if', { html: '<p>\n<% if (it.carrier) { %>\n</p>' }, 'html', 2, '"if" is never closed'],
    ['an else without if', { text: 'x\n<% } else { %>' }, 'text', 2, '"else" without an open "if"'],
    ['a stray brace', { text: '<% } %>' }, 'text', 1, '"}" without an open "if"'],
    ['an unclosed tag', { html: '<p>\n\n<%= it.store </p>' }, 'html', 3, 'unclosed tag'],
  ])('should reject %s, naming the part and the line', (_name, parts, part, line, message) => {
    const error = rejection(EMAIL_KEY, parts);

    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ part, line });
    expect(error.message).toContain(`${part} template, line ${line}: `);
    expect(error.message).toContain(message);
  });

  it.each([
    ['an SMS with a subject', SMS_KEY, { subject: 'x', body: 'y' }, 'subject', 'an SMS template has only a body'],
    ['an SMS without a body', SMS_KEY, {}, 'body', 'an SMS template needs a body'],
    ['an email with a body', EMAIL_KEY, { subject: 'x', body: 'y' }, 'body', 'no body'],
    ['an email with nothing', EMAIL_KEY, {}, 'subject', 'at least one of subject, html and text'],
    ['an empty part', EMAIL_KEY, { subject: 'x', text: '  ' }, 'text', 'is empty'],
    [
      'a subject too long',
      EMAIL_KEY,
      { subject: 'x'.repeat(501) },
      'subject',
      'is 501 characters long; the limit is 500',
    ],
    ['an SMS too long', SMS_KEY, { body: 'x'.repeat(1001) }, 'body', 'the limit is 1000'],
    [
      'a subject that renders empty without a customer name',
      EMAIL_KEY,
      { subject: '<%= it.customer %>' },
      'subject',
      'renders empty',
    ],
  ])('should reject %s', (_name, key, parts, part, message) => {
    const error = rejection(key, parts);

    expect(error.details).toMatchObject({ part });
    expect(error.message).toContain(message);
  });

  it('should reject a template that renders slower than the limit', () => {
    const error = rejection(
      EMAIL_KEY,
      { subject: 'x', html: '<p><%= it.store %></p>'.repeat(100) },
      {
        ...TEMPLATE_LIMITS,
        renderMs: 0,
      },
    );

    expect(error.details).toMatchObject({ part: 'html' });
    expect(error.message).toMatch(/takes [\d.]+ ms to render sample data; the limit is 0 ms/);
  });
});
