import { describe, expect, it } from 'vitest';
import { MILESTONES } from '../../../core/notification/milestone.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { EMAIL_HTML_LAYOUT, EMAIL_TEXT_LAYOUT, SMS_LAYOUT } from './layout.js';
import type { LocaleCopy, MessageContext } from './locale-copy.js';

const LOCALES: Record<string, LocaleCopy> = { en, es, fr, de };
const TRANSLATED: [string, LocaleCopy][] = [
  ['es', es],
  ['fr', fr],
  ['de', de],
];

// Eta templates are strings to TypeScript: a misspelt `it.ordre` would only show as "undefined" in a customer's inbox.
const CONTEXT_KEYS: readonly (keyof MessageContext)[] = [
  'store',
  'order',
  'customer',
  'carrier',
  'trackingNumber',
  'edd',
  'eddShort',
  'attempt',
  'url',
];

function snippets(copy: LocaleCopy): [string, string][] {
  const milestoneSnippets = MILESTONES.flatMap((milestone) =>
    Object.entries(copy.milestones[milestone]).map(([part, template]): [string, string] => [
      `${milestone}.${part}`,
      template,
    ]),
  );
  return [...milestoneSnippets, ['layout.greeting', copy.layout.greeting], ['layout.footer', copy.layout.footer]];
}

describe('locale templates', () => {
  it.each(Object.entries(LOCALES))(
    'should only read fields the message context has when rendering %s',
    (_locale, copy) => {
      for (const [name, template] of snippets(copy)) {
        const fields = [...template.matchAll(/\bit\.(\w+)/g)].map((match) => match[1]);
        for (const field of fields) expect(CONTEXT_KEYS, `${name} reads it.${field}`).toContain(field);
      }
    },
  );

  it.each(TRANSLATED)(
    'should translate every problem explanation and journey step when the locale is %s',
    (_, copy) => {
      for (const [key, text] of Object.entries(copy.problems)) {
        expect(text, key).not.toBe(en.problems[key as keyof typeof en.problems]);
      }
      for (const [key, text] of Object.entries(copy.journeySteps)) {
        expect(text, key).not.toBe(en.journeySteps[key as keyof typeof en.journeySteps]);
      }
    },
  );

  it.each(TRANSLATED)('should translate every layout label when the locale is %s', (_, copy) => {
    const { labelSeparator: _separator, ...labels } = copy.layout;
    for (const [key, text] of Object.entries(labels)) {
      expect(text, key).not.toBe(en.layout[key as keyof typeof en.layout]);
    }
  });

  it('should never use raw (unescaped) output in any template', () => {
    const all = [EMAIL_HTML_LAYOUT, EMAIL_TEXT_LAYOUT, SMS_LAYOUT, ...Object.values(LOCALES).flatMap(snippets)];
    for (const template of all.flat()) expect(template).not.toContain('<%~');
  });

  it('should put only validated values into href, src and style attributes of the HTML layout', () => {
    const attributeValues = [...EMAIL_HTML_LAYOUT.matchAll(/\b(?:href|src|style|bgcolor)="([^"]*)"/g)].map(
      (match) => match[1] ?? '',
    );
    const interpolated = attributeValues.flatMap((value) => [...value.matchAll(/<%=\s*([^%]+?)\s*%>/g)]);
    const fields = new Set(interpolated.map((match) => match[1]));

    expect(fields).toEqual(
      new Set([
        'it.accentColour',
        'it.logoUrl',
        'step.colour',
        "step.bold ? 'bold' : 'normal'",
        'it.primaryColour',
        'it.trackingUrl',
        'it.buttonTextColour',
        'it.supportEmail',
        'it.supportUrl',
        'it.unsubscribeUrl',
      ]),
    );
  });
});
