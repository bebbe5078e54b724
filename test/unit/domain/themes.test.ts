import { describe, expect, it } from 'vitest';
import { languages } from '../../../functions/domain/languages';
import { fold } from '../../../functions/domain/text';
import { languageOfComment, lexicons, themeCodes, themesOf, wordsOf } from '../../../functions/domain/themes';

describe('themesOf', () => {
  it.each([
    [
      'en',
      'The staff were so friendly, but I waited 20 minutes at the till',
      ['staff-attitude', 'waiting', 'checkout-payment'],
    ],
    ['en', 'Overpriced, and the parcel never arrived', ['price-value', 'delivery']],
    ['en', 'Could not find my size, out of stock again', ['choice-stock']],
    ['en', 'The website kept crashing and nobody replied to my e-mail', ['website-app', 'contact']],
    ['en', 'Well organised store, spotless and clean', ['store-environment']],
    ['en', 'Refund took weeks after I returned a faulty kettle', ['product-quality', 'returns-refunds']],
    [
      'fr',
      "L'accueil était très désagréable et la livraison a pris trois semaines",
      ['staff-attitude', 'delivery'],
    ],
    [
      'fr',
      'Vendeuse de bon conseil, rapport qualité-prix excellent',
      ['staff-advice', 'product-quality', 'price-value'],
    ],
    [
      'fr',
      "Trop d'attente en caisse, le magasin était sale",
      ['waiting', 'checkout-payment', 'store-environment'],
    ],
    ['fr', 'Produit cassé, remboursement refusé par le SAV', ['product-quality', 'returns-refunds']],
    [
      'es',
      'El cajero fue muy amable pero la cola era enorme',
      ['staff-attitude', 'waiting', 'checkout-payment'],
    ],
    ['es', 'Precios muy caros y el envío llegó con retraso', ['price-value', 'delivery']],
    ['es', 'La tienda estaba sucia y no tenían mi talla', ['choice-stock', 'store-environment']],
    [
      'es',
      'Nadie contesta el teléfono, la aplicación no funciona',
      ['product-quality', 'website-app', 'contact'],
    ],
  ] as const)('finds the themes of a %s comment: %s', (language, comment, themes) => {
    expect(themesOf(comment, language)).toEqual(themes);
  });

  it('finds no theme in an empty, blank or theme-less comment', () => {
    expect(themesOf(undefined, 'en')).toEqual([]);
    expect(themesOf('   ', 'fr')).toEqual([]);
    expect(themesOf('Todo perfecto, gracias', 'es')).toEqual([]);
    expect(themesOf('Great!', 'en')).toEqual([]);
  });

  it('reads words whole or by stem, never inside another word', () => {
    // `line` is a word of its own, not the end of `online`; `sale` is dirty in French, a sale in English.
    expect(themesOf('I ordered online', 'en')).toEqual(['website-app']);
    expect(themesOf('The line was long', 'en')).toEqual(['waiting']);
    expect(themesOf('Great sale', 'en')).toEqual(['price-value']);
    expect(themesOf('Le rayon était sale', 'fr')).toEqual(['store-environment']);
  });

  it('reads the inflections of a whole-word entry through the language’s Snowball stemmer', () => {
    // `understaffed`, `llamar`, `attendre`: none of these forms is in the lexicon.
    expect(themesOf('The store was understaffing its tills', 'en')).toContain('waiting');
    expect(themesOf('Nunca me llamaron', 'es')).toEqual(['contact']);
    expect(themesOf('Nous attendions depuis longtemps', 'fr')).toEqual(['waiting']);
  });

  it('matches a word with a stem shorter than four letters only as written', () => {
    // French `file` (a queue) and `fils` (sons) share the stem `fil`.
    expect(themesOf('Mes fils adorent venir', 'fr')).toEqual([]);
    expect(themesOf('Une file interminable', 'fr')).toEqual(['waiting']);
  });

  it('reads accents, capitals and ligatures as the lexicon writes them', () => {
    expect(themesOf('QUALITÉ DÉPLORABLE', 'fr')).toEqual(['product-quality']);
    expect(themesOf('qualite deplorable', 'fr')).toEqual(['product-quality']);
    expect(themesOf('Recepción: ATENCIÓN AL CLIENTE pésima', 'es')).toEqual(['contact']);
  });

  it('uses the lexicon of the language the comment is written in when it is not the survey’s', () => {
    const french = 'Le personnel était très aimable et les prix sont bien trop chers pour moi';
    expect(languageOfComment(french, 'en')).toBe('fr');
    expect(themesOf(french, 'en')).toEqual(['staff-attitude', 'price-value']);
  });

  it('keeps the survey’s language unless another’s words outnumber it by two', () => {
    expect(languageOfComment('Muy bien', 'fr')).toBe('fr');
    expect(languageOfComment('El personal fue muy amable con nosotros', 'en')).toBe('es');
    expect(languageOfComment('The end', 'es')).toBe('es');
    expect(languageOfComment('The staff', 'es')).toBe('en');
  });
});

describe('the lexicons', () => {
  it('cover every theme in every language', () => {
    for (const language of languages) {
      expect(Object.keys(lexicons[language]).sort()).toEqual([...themeCodes].sort());
      for (const theme of themeCodes) expect(lexicons[language][theme].length).toBeGreaterThan(5);
    }
  });

  it('are written folded (lower case, no accents), as comments are read', () => {
    for (const language of languages)
      for (const theme of themeCodes)
        for (const entry of lexicons[language][theme]) expect(fold(entry)).toBe(entry);
  });
});

describe('wordsOf', () => {
  it('splits at apostrophes, hyphens and punctuation, and folds each word', () => {
    expect(wordsOf("L'accueil, l'e-mail… ÇA VA?")).toEqual(['l', 'accueil', 'l', 'e', 'mail', 'ca', 'va']);
  });
});
