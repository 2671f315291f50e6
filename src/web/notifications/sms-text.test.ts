import { describe, expect, it } from 'vitest';
import { isGsm7, toGsm7WhenPossible } from './sms-text.js';

describe('toGsm7WhenPossible', () => {
  it('should leave text alone when it is GSM-7 already, accents the alphabet has included', () => {
    const text = 'Grüße aus Köln, señor: café à emporter €5 [ok]';

    expect(isGsm7(text)).toBe(true);
    expect(toGsm7WhenPossible(text)).toBe(text);
  });

  it('should drop accents the GSM-7 alphabet lacks when that makes the whole text GSM-7', () => {
    expect(toGsm7WhenPossible('tu envío está aquí, ¿sí?')).toBe('tu envio esta aqui, ¿si?');
    expect(toGsm7WhenPossible('Votre colis doit être reçu')).toBe('Votre colis doit etre recu');
  });

  it('should replace typographic punctuation with its plain look-alike when the text has it', () => {
    const folded = toGsm7WhenPossible('\u201cHello\u201d \u2014 it\u2019s \u00abici\u00bb\u2026\u00a0ok\u202f!');

    expect(folded).toBe('"Hello" - it\'s "ici"... ok !');
    expect(isGsm7(folded)).toBe(true);
  });

  it('should spell out ligatures when the text contains them', () => {
    expect(toGsm7WhenPossible('Cœur de Bœuf')).toBe('Coeur de Boeuf');
  });

  it('should keep the text unchanged when something without a GSM-7 look-alike remains', () => {
    const text = 'Café 📦 envío';

    expect(toGsm7WhenPossible(text)).toBe(text);
  });

  it('should keep the text unchanged when it is in a script GSM-7 cannot write', () => {
    expect(toGsm7WhenPossible('ご注文 #1042 は発送されました')).toBe('ご注文 #1042 は発送されました');
  });
});
