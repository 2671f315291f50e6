import { Eta, type TemplateFunction } from 'eta/core';

import { DomainError, ErrorCode } from '../../core/errors.js';
import type { TemplateKey, TemplateParts } from '../../core/ports/notification-template.port.js';
import type {
  NotificationTemplateInput,
  OverrideVariables,
  RenderedEmail,
  RenderedSms,
} from './render-notification.js';
import { overrideVariables, renderNotification } from './render-notification.js';
import { sampleNotificationInput } from './sample-data.js';
import { toGsm7WhenPossible } from './sms-text.js';

/**
 * Stores' own templates (overrides). They are Eta, like the built-ins, but
 * Eta compiles a template into a JavaScript function: `<% %>` may hold any
 * code. A store's template must never run code on the server, so every tag
 * is checked against a small grammar before it is compiled — at save time
 * and again at every compile, in case a row was written behind the API:
 *
 * - `<%= it.name %>`: a variable, escaped for HTML in the html part;
 * - `<% if (COND) { %>`, `<% } else if (COND) { %>`, `<% } else { %>`, `<% } %>`,
 *   where COND joins with `&&` / `||` terms `it.name`, `!it.name` or
 *   `it.name OP literal` (OP one of `=== !== == != > >= < <=`, the literal a
 *   whole number or a short 'quoted' text).
 *
 * Raw output (`<%~ %>`), other statements, Eta helpers (include, layout)
 * and any identifier other than `it.<a known variable>` are refused with
 * the line they are on.
 */

type PartName = keyof TemplateParts;

/** Limits of one override; characters of template source, milliseconds of rendering. */
export type TemplateLimits = Readonly<{
  subject: number;
  html: number;
  text: number;
  body: number;
  /** Every sample render of one validation together. */
  renderMs: number;
}>;

/**
 * HTML stays well under the 102 KB after which Gmail clips a message; an SMS
 * template has room for a few segments of text with its link.
 */
export const TEMPLATE_LIMITS: TemplateLimits = Object.freeze({
  subject: 500,
  html: 60_000,
  text: 20_000,
  body: 1_000,
  renderMs: 50,
});

/** The variables an override may read, the same for every part and channel. */
export const OVERRIDE_VARIABLE_NAMES: readonly (keyof OverrideVariables)[] = [
  'store',
  'order',
  'customer',
  'carrier',
  'trackingNumber',
  'edd',
  'eddShort',
  'attempt',
  'url',
  'lang',
  'unsubscribeUrl',
  'problem',
  'logoUrl',
  'supportEmail',
  'supportUrl',
  'primaryColour',
  'accentColour',
  'buttonTextColour',
];
const KNOWN_VARIABLES: ReadonlySet<string> = new Set(OVERRIDE_VARIABLE_NAMES);

const VARIABLE = String.raw`it\.[A-Za-z][A-Za-z0-9]*`;
const LITERAL = String.raw`(?:-?\d{1,9}|'[A-Za-z0-9 _.,:/#+-]{0,100}')`;
const TERM = String.raw`(?:!\s*${VARIABLE}|${VARIABLE}(?:\s*(?:===|!==|==|!=|>=|<=|>|<)\s*${LITERAL})?)`;
const CONDITION = String.raw`${TERM}(?:\s*(?:&&|\|\|)\s*${TERM})*`;
const INTERPOLATION = new RegExp(`^${VARIABLE}$`);
const OPEN_IF = new RegExp(String.raw`^if\s*\(\s*${CONDITION}\s*\)\s*\{$`);
const ELSE_IF = new RegExp(String.raw`^\}\s*else\s+if\s*\(\s*${CONDITION}\s*\)\s*\{$`);
const ELSE = /^\}\s*else\s*\{$/;
const CLOSE = /^\}$/;

/** Null and undefined print as nothing, so `<%= it.customer %>` never shows "null". */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// Subject, text and SMS are plain text, escaped by nothing (as the built-in
// words are); the HTML part escapes every interpolation.
const ENGINES = {
  text: new Eta({ autoEscape: false, autoTrim: false, autoFilter: true, filterFunction: asText }),
  html: new Eta({ autoEscape: true, autoTrim: false, autoFilter: true, filterFunction: asText }),
} as const;
/** Parsing only, with line numbers on every tag. */
const PARSER = new Eta({ autoTrim: false, debug: true });

function templateError(part: PartName, line: number | null, message: string): DomainError {
  const where = line === null ? `${part} template` : `${part} template, line ${line}`;
  return new DomainError(ErrorCode.InvalidInput, `${where}: ${message}`, { details: { part, line } });
}

function checkVariables(part: PartName, line: number, code: string): void {
  for (const match of code.matchAll(/\bit\.([A-Za-z][A-Za-z0-9]*)/g)) {
    const name = match[1] ?? '';
    if (!KNOWN_VARIABLES.has(name)) {
      throw templateError(
        part,
        line,
        `unknown variable it.${name}; the variables are ${OVERRIDE_VARIABLE_NAMES.map((v) => `it.${v}`).join(', ')}`,
      );
    }
  }
}

/** Throws, naming the line, unless every tag of `source` is in the grammar and every `if` is closed. */
function checkTags(part: PartName, source: string): void {
  let nodes: ReturnType<Eta['parse']>;
  try {
    nodes = PARSER.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at line (\d+) col (\d+)/.exec(message);
    const reason = message.split(/ at line \d+/)[0]?.trim() || 'cannot be parsed';
    throw templateError(part, position ? Number(position[1]) : null, reason);
  }
  const openIfs: number[] = [];
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    const line = node.lineNo ?? 1;
    const code = node.val.trim();
    if (node.t === 'r') throw templateError(part, line, 'raw output <%~ %> is not allowed; use <%= %>');
    if (node.t === 'i') {
      if (!INTERPOLATION.test(code)) {
        throw templateError(part, line, `<%= ${code} %> is not allowed; write <%= it.name %> with one variable`);
      }
      checkVariables(part, line, code);
      continue;
    }
    if (node.t !== 'e') throw templateError(part, line, 'unknown kind of tag');
    if (OPEN_IF.test(code)) {
      checkVariables(part, line, code);
      openIfs.push(line);
    } else if (ELSE_IF.test(code) || ELSE.test(code)) {
      if (openIfs.length === 0) throw templateError(part, line, '"else" without an open "if"');
      checkVariables(part, line, code);
    } else if (CLOSE.test(code)) {
      if (openIfs.pop() === undefined) throw templateError(part, line, '"}" without an open "if"');
    } else {
      throw templateError(
        part,
        line,
        `<% ${code} %> is not allowed; only <% if (it.name) { %>, <% } else if (…) { %>, <% } else { %> and <% } %>`,
      );
    }
  }
  const unclosed = openIfs.at(-1);
  if (unclosed !== undefined) throw templateError(part, unclosed, '"if" is never closed with <% } %>');
}

const compiledCache = new Map<string, TemplateFunction>();
const COMPILED_CACHE_SIZE = 500;

/** The grammar check, then Eta's compile; cached by part and source, since a store sends the same template often. */
function compilePart(part: PartName, source: string): TemplateFunction {
  const cacheKey = `${part}\u0000${source}`;
  const cached = compiledCache.get(cacheKey);
  if (cached) return cached;
  checkTags(part, source);
  let compiled: TemplateFunction;
  try {
    compiled = (part === 'html' ? ENGINES.html : ENGINES.text).compile(source);
  } catch (error) {
    throw templateError(part, null, `does not compile: ${error instanceof Error ? error.message.split('\n')[0] : ''}`);
  }
  if (compiledCache.size >= COMPILED_CACHE_SIZE) compiledCache.clear();
  compiledCache.set(cacheKey, compiled);
  return compiled;
}

function renderPart(part: PartName, source: string, variables: OverrideVariables): string {
  const template = compilePart(part, source);
  try {
    return (part === 'html' ? ENGINES.html : ENGINES.text).render(template, variables);
  } catch (error) {
    throw templateError(part, null, `does not render: ${error instanceof Error ? error.message.split('\n')[0] : ''}`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A message from a store's override: the parts it has, the built-in ones for
 * the rest. Throws DomainError `invalid_input` (`details.part`, `details.line`)
 * when a part breaks the grammar, does not render or renders empty.
 */
export function renderOverride(input: NotificationTemplateInput, parts: TemplateParts): RenderedEmail | RenderedSms {
  const variables = overrideVariables(input);
  if (input.channel === 'sms') {
    if (parts.body === null) throw templateError('body', null, 'an SMS template needs a body');
    const body = toGsm7WhenPossible(oneLine(renderPart('body', parts.body, variables)));
    if (!body) throw templateError('body', null, 'renders empty');
    return { body };
  }
  const builtIn =
    parts.subject === null || parts.html === null || parts.text === null
      ? renderNotification({ ...input, channel: 'email' })
      : null;
  const subject = parts.subject === null ? builtIn!.subject : oneLine(renderPart('subject', parts.subject, variables));
  if (!subject) throw templateError('subject', null, 'renders empty');
  const html = parts.html === null ? builtIn!.html : renderPart('html', parts.html, variables);
  const text =
    parts.text === null
      ? builtIn!.text
      : `${renderPart('text', parts.text, variables)
          .replace(/\r\n?/g, '\n')
          .replace(/\n{3,}/g, '\n\n')
          .trim()}\n`;
  return { subject, html, text };
}

function checkShape(key: TemplateKey, parts: TemplateParts): void {
  if (key.channel === 'sms') {
    for (const part of ['subject', 'html', 'text'] as const) {
      if (parts[part] !== null) throw templateError(part, null, 'an SMS template has only a body');
    }
    if (parts.body === null || parts.body.trim() === '')
      throw templateError('body', null, 'an SMS template needs a body');
    return;
  }
  if (parts.body !== null) throw templateError('body', null, 'an email template has a subject, html and text, no body');
  if ([parts.subject, parts.html, parts.text].every((part) => part === null)) {
    throw templateError('subject', null, 'an email template needs at least one of subject, html and text');
  }
  for (const part of ['subject', 'html', 'text'] as const) {
    if (parts[part]?.trim() === '') throw templateError(part, null, 'is empty; leave it out to keep the built-in one');
  }
}

/** The sample message with everything optional missing, so every branch of a template meets an empty value. */
function sparseSample(sample: NotificationTemplateInput): NotificationTemplateInput {
  return {
    ...sample,
    store: {
      ...sample.store,
      branding: {
        displayName: null,
        logoUrl: null,
        primaryColor: null,
        accentColor: null,
        supportEmail: null,
        supportUrl: null,
      },
    },
    order: { ...sample.order, customerName: null },
    shipment: sample.shipment && { ...sample.shipment, carrier: null, estimatedDelivery: null },
    journey: null,
    attemptNumber: 0,
    exceptionKind: null,
  };
}

/**
 * Whether an override may be saved: the parts its channel has, each within
 * its size limit, in the grammar, and rendering a full and a sparse sample
 * message within the time limit without an empty subject or SMS. Throws
 * DomainError `invalid_input` naming the part (and the line when it is one).
 */
export function validateOverride(
  key: TemplateKey,
  parts: TemplateParts,
  limits: TemplateLimits = TEMPLATE_LIMITS,
): void {
  checkShape(key, parts);
  for (const part of ['subject', 'html', 'text', 'body'] as const) {
    const source = parts[part];
    if (source === null) continue;
    if (source.length > limits[part]) {
      throw templateError(part, null, `is ${source.length} characters long; the limit is ${limits[part]}`);
    }
    compilePart(part, source);
  }
  const sample = sampleNotificationInput(key.milestone, key.locale, key.channel);
  const started = performance.now();
  for (const input of [sample, sparseSample(sample)]) renderOverride(input, parts);
  const elapsedMs = performance.now() - started;
  if (elapsedMs > limits.renderMs) {
    const largest = (['subject', 'html', 'text', 'body'] as const).reduce((a, b) =>
      (parts[b]?.length ?? 0) > (parts[a]?.length ?? 0) ? b : a,
    );
    throw templateError(
      largest,
      null,
      `takes ${elapsedMs.toFixed(1)} ms to render sample data; the limit is ${limits.renderMs} ms`,
    );
  }
}
