/**
 * Comment themes: what a customer's comment is about (staff, waiting, price, …), found with a lexicon
 * per language (English, French, Spanish: the survey's languages). Pure; runs inside the counting
 * function, no external service. Text handling is the runtime's own Unicode support (ICU in Node):
 * NFKD normalisation folds accents and ligatures (`délai` → `delai`, `œ` → `oe`), `\p{L}` splits
 * words. An entry ending in `*` matches every word it starts (`friendl*` → friendly, friendliness);
 * any other word matches itself and, through the language's Snowball stemmer (`@orama/stemmers`), its
 * inflections (`attendre` → nous attendions); an entry of several words matches them in sequence.
 * Themes are topics, not sentiment: the score says how the customer felt about them. See docs/drivers.md.
 */
import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as frenchStem } from '@orama/stemmers/french';
import { stemmer as spanishStem } from '@orama/stemmers/spanish';
import type { Language } from './languages';
import { fold } from './text';
import { type Theme, themeCodes } from './theme-codes';

export { type Theme, themeCodes };

type Lexicon = Readonly<Record<Theme, readonly string[]>>;

/** Folded (lower case, no accents) stems and words per theme, per language. */
// biome-ignore format: several entries a line read better
export const lexicons: Readonly<Record<Language, Lexicon>> = {
  en: {
    'staff-attitude': [
      'friendl*', 'unfriendl*', 'rude*', 'polite*', 'impolite*', 'helpful*', 'unhelpful*',
      'welcom*', 'smil*', 'attitude*', 'courteous*', 'discourteous*', 'kindness', 'arrogant*',
      'ignored', 'patient', 'impatient', 'respectful*', 'disrespectful*', 'caring',
    ],
    'staff-advice': [
      'advice', 'advis*', 'knowledg*', 'expert*', 'expertise', 'explain*', 'explanation*',
      'recommend*', 'informed', 'competent', 'incompetent', 'professional*', 'clueless', 'guidance',
    ],
    waiting: [
      'wait*', 'queue*', 'line', 'lines', 'slow*', 'quick*', 'fast', 'faster', 'speed*', 'busy',
      'understaffed', 'forever', 'minutes', 'hours', 'delay*',
    ],
    'product-quality': [
      'quality', 'broke', 'broken', 'defect*', 'faulty', 'damag*', 'durab*', 'flimsy',
      'cheaply made', 'fell apart', 'stopped working', 'works perfectly', 'well made',
      'poorly made', 'fresh', 'stale',
    ],
    'choice-stock': [
      'stock', 'stocked', 'choice*', 'selection*', 'range', 'variety', 'available', 'availability',
      'unavailable', 'sold out', 'out of stock', 'size', 'sizes', 'assortment',
    ],
    'price-value': [
      'price*', 'pric*y', 'expensive', 'overpriced', 'cheap', 'cheaper', 'value', 'cost*',
      'discount*', 'promotion*', 'promo*', 'deal', 'deals', 'offer*', 'affordable', 'money', 'sale',
      'sales',
    ],
    delivery: [
      'deliver*', 'shipping', 'shipped', 'shipment*', 'parcel*', 'package*', 'courier*',
      'dispatch*', 'tracking', 'postage', 'never arrived', 'arrived late', 'arrived damaged',
    ],
    'returns-refunds': [
      'return*', 'refund*', 'exchang*', 'warrant*', 'guarantee*', 'repair*', 'after sales',
      'replac*',
    ],
    'checkout-payment': [
      'checkout*', 'till', 'tills', 'cashier*', 'payment*', 'pay', 'paid', 'paying', 'card',
      'receipt*', 'self checkout', 'register', 'invoice*', 'charged',
    ],
    'store-environment': [
      'clean*', 'dirty', 'tidy', 'untidy', 'messy', 'mess', 'layout', 'parking', 'music', 'crowded',
      'spacious', 'cramped', 'organi*ed', 'disorgani*ed', 'smell*', 'opening hours', 'atmosphere',
      'toilet*', 'lighting',
    ],
    'website-app': [
      'website*', 'site', 'online', 'app', 'apps', 'internet', 'web', 'click and collect', 'login',
      'log in', 'account', 'ordered online', 'browser', 'webshop',
    ],
    contact: [
      'phone*', 'call', 'called', 'calls', 'email*', 'e mail*', 'mail', 'reply', 'replied',
      'replies', 'respond*', 'response*', 'contact*', 'chat', 'hotline', 'customer service',
      'customer care', 'callback', 'voicemail',
    ],
  },
  fr: {
    'staff-attitude': [
      'aimable*', 'accueil*', 'souri*', 'poli', 'polie', 'polis', 'polies', 'impoli*', 'sympa*',
      'antipathique*', 'desagreable*', 'agreable*', 'gentil*', 'chaleureu*', 'courtois*',
      'serviable*', 'arrogant*', 'mepris*', 'attitude*', 'comportement*', 'patient*', 'impatient*',
      'respect*', 'irrespectu*',
    ],
    'staff-advice': [
      'conseil*', 'explication*', 'expliqu*', 'expert*', 'competen*', 'incompeten*',
      'connaissance*', 'professionnel*', 'renseign*', 'recommand*', 'orient*',
    ],
    waiting: [
      'attente', 'attendre', 'attendu', 'attendue', 'attendus', 'attends', 'attend', 'file',
      'files', 'queue', 'lent', 'lente', 'lents', 'lentes', 'lenteur*', 'rapide*', 'rapidite',
      'vite', 'minutes', 'heures', 'delai*',
    ],
    'product-quality': [
      'qualite*', 'casse', 'cassee', 'casses', 'cassees', 'defectu*', 'defaut*', 'abime*',
      'endommag*', 'solide*', 'fragile*', 'durab*', 'fonctionne plus', 'marche plus', 'fraiche*',
      'perime*',
    ],
    'choice-stock': [
      'choix', 'stock*', 'rupture*', 'disponib*', 'indisponib*', 'gamme*', 'taille*', 'selection*',
      'assortiment*', 'variete*', 'epuise*',
    ],
    'price-value': [
      'prix', 'cher', 'chere', 'chers', 'cheres', 'couteu*', 'bon marche', 'promo*', 'remise*',
      'reduction*', 'tarif*', 'rapport qualite prix', 'abordable*', 'argent', 'solde', 'soldes',
      'offre*', 'economi*',
    ],
    delivery: [
      'livraison*', 'livrer', 'livreur*', 'livree', 'livrees', 'colis', 'transporteur*', 'expedi*',
      'achemin*', 'suivi', 'jamais recu', 'jamais arrive',
    ],
    'returns-refunds': [
      'retour*', 'rembours*', 'echang*', 'garantie*', 'sav', 'service apres vente', 'repar*',
      'remplac*',
    ],
    'checkout-payment': [
      'caisse*', 'caissier*', 'caissiere*', 'paiement*', 'payer', 'paye', 'payee', 'carte',
      'ticket*', 'facture*', 'encaiss*', 'debit*',
    ],
    'store-environment': [
      'propre*', 'proprete', 'sale', 'sales', 'salete*', 'range', 'rangee', 'desordre', 'bazar',
      'parking*', 'musique', 'ambiance', 'bruit*', 'bruyant*', 'horaire*', 'rayon*', 'agencement',
      'odeur*', 'toilettes', 'espace',
    ],
    'website-app': [
      'site', 'sites', 'internet', 'en ligne', 'appli', 'applis', 'application*', 'web', 'web site',
      'click and collect', 'connexion', 'commande en ligne',
    ],
    contact: [
      'telephone*', 'appel*', 'appele*', 'rappel*', 'mail*', 'email*', 'courriel*', 'repon*',
      'joindre', 'injoignable*', 'contact*', 'chat', 'service client*', 'messagerie',
    ],
  },
  es: {
    'staff-attitude': [
      'amable*', 'amabilidad', 'simpati*', 'antipati*', 'grosero*', 'grosera*', 'maleducad*',
      'mal educad*', 'educad*', 'atent*', 'trato', 'sonri*', 'cordial*', 'arrogan*', 'actitud*',
      'agradable*', 'desagradable*', 'respet*', 'irrespetu*', 'paciencia', 'paciente*', 'borde*',
    ],
    'staff-advice': [
      'consejo*', 'aconsej*', 'asesor*', 'explic*', 'conocimiento*', 'experto*', 'experta*',
      'profesional*', 'competente*', 'incompetente*', 'recomend*', 'orient*', 'informacion',
    ],
    waiting: [
      'espera*', 'esperar', 'espere', 'cola', 'colas', 'fila', 'filas', 'lento*', 'lenta*',
      'lentitud', 'rapid*', 'rapidez', 'tarda*', 'minutos', 'horas', 'demora*',
    ],
    'product-quality': [
      'calidad*', 'roto', 'rota', 'rotos', 'rotas', 'defectu*', 'defecto*', 'danad*', 'estropead*',
      'durader*', 'duradera*', 'resistente*', 'fragil*', 'no funciona', 'dejo de funcionar',
      'fresco*', 'fresca*', 'caducad*',
    ],
    'choice-stock': [
      'surtido*', 'variedad*', 'stock', 'existencias', 'agotad*', 'disponib*', 'talla*',
      'seleccion*', 'eleccion', 'gama*', 'opciones',
    ],
    'price-value': [
      'precio*', 'caro', 'cara', 'caros', 'caras', 'barat*', 'oferta*', 'descuento*', 'promocion*',
      'promo*', 'coste*', 'costo*', 'rebaja*', 'economic*', 'dinero', 'calidad precio',
      'asequible*',
    ],
    delivery: [
      'entrega*', 'entregad*', 'envio*', 'enviad*', 'paquete*', 'mensajer*', 'repartidor*',
      'reparto', 'llego', 'llegaron', 'llegada', 'transportista*', 'seguimiento', 'retraso*',
    ],
    'returns-refunds': [
      'devolucion*', 'devolver', 'devolvi*', 'reembols*', 'cambio', 'cambiar', 'garantia*',
      'reparacion*', 'reparar', 'reemplaz*', 'sustitu*',
    ],
    'checkout-payment': [
      'caja', 'cajas', 'cajero*', 'cajera*', 'pago*', 'pagar', 'tarjeta*', 'ticket*', 'recibo*',
      'factura*', 'cobr*',
    ],
    'store-environment': [
      'limpi*', 'sucio*', 'sucia*', 'suciedad', 'ordenad*', 'desorden*', 'aparcamiento*',
      'estacionamiento*', 'parking', 'musica', 'ambiente', 'ruido*', 'horario*', 'olor*', 'banos',
      'espacio*', 'pasillo*',
    ],
    'website-app': [
      'web', 'pagina web', 'sitio web', 'internet', 'en linea', 'online', 'app', 'aplicacion*',
      'click and collect', 'pedido online', 'pedido por internet',
    ],
    contact: [
      'telefono*', 'llamada*', 'llamar', 'llame*', 'correo*', 'email*', 'mail*', 'respuesta*',
      'respond*', 'contact*', 'chat', 'atencion al cliente', 'servicio al cliente',
    ],
  },
};

/** The folded words of a text, in order (apostrophes and hyphens split words: `l'accueil`, `e-mail`). */
export const wordsOf = (text: string) => fold(text).match(/\p{L}+|\p{N}+/gu) ?? [];

/** The Snowball stemmer of each language, for the folded words of a comment and of the lexicon. */
const stemmers: Readonly<Record<Language, (word: string) => string>> = {
  en: englishStem,
  fr: frenchStem,
  es: spanishStem,
};
/**
 * Shorter stems merge unrelated words (Spanish `caro` and `cara` → `car`, French `file` and `fils` →
 * `fil`): an entry whose stem is shorter matches only itself.
 */
const MIN_STEM_LETTERS = 4;

/** The words of a comment, each with its stem. */
interface Words {
  readonly words: readonly string[];
  readonly stems: readonly string[];
}
type Matcher = (text: Words, at: number) => boolean;

const wordMatcher = (entry: string, stem: (word: string) => string) => {
  if (entry.endsWith('*')) {
    const prefix = entry.slice(0, -1);
    // `organi*ed`: any letters in between (organised, organized).
    if (prefix.includes('*')) {
      const pattern = new RegExp(`^${prefix.split('*').join('\\p{L}*')}`, 'u');
      return (word: string) => pattern.test(word);
    }
    return (word: string) => word.startsWith(prefix);
  }
  if (entry.includes('*')) {
    const pattern = new RegExp(`^${entry.split('*').join('\\p{L}*')}$`, 'u');
    return (word: string) => pattern.test(word);
  }
  const entryStem = stem(entry);
  if (entryStem.length < MIN_STEM_LETTERS) return (word: string) => word === entry;
  return (word: string, wordStem: string) => word === entry || wordStem === entryStem;
};

const matcherOf = (entry: string, stem: (word: string) => string): Matcher => {
  const parts = wordsOf(entry.replace(/\*/g, 'ASTERISK'))
    .map((part) => part.replace(/asterisk/g, '*'))
    .map((part) => wordMatcher(part, stem));
  return ({ words, stems }, at) =>
    parts.every((matches, offset) => matches(words[at + offset] ?? '', stems[at + offset] ?? ''));
};

const compiled = Object.fromEntries(
  Object.entries(lexicons).map(([language, lexicon]) => [
    language,
    Object.entries(lexicon).map(([theme, entries]) => ({
      theme: theme as Theme,
      matchers: entries.map((entry) => matcherOf(entry, stemmers[language as Language])),
    })),
  ]),
) as Record<Language, { theme: Theme; matchers: Matcher[] }[]>;

/** Short words that say which language a text is in (folded; words the three share are left out). */
export const languageMarkers: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: new Set(
    'i the and is was were very with for but they it of to my you this that have had are too not so staff'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le les et est etait tres avec pour pas mais ils je vous du des une ce qui sont au bien trop il elle'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el los las y es era muy con para pero ellos yo usted del una al bien demasiado fue lo nos'.split(' '),
  ),
};

/**
 * The language a comment is written in: the survey's, unless another's marker words outnumber it * by at least two (a customer who wrote in another language than the page's).
 */
export const languageOfComment = (comment: string, surveyLanguage: Language): Language =>
  languageOfWords(wordsOf(comment), surveyLanguage);

const languageOfWords = (words: readonly string[], surveyLanguage: Language): Language => {
  const hits = (language: Language) => words.filter((word) => languageMarkers[language].has(word)).length;
  const own = hits(surveyLanguage);
  let best: Language = surveyLanguage;
  let bestHits = own + 1;
  for (const language of Object.keys(languageMarkers) as Language[]) {
    const count = hits(language);
    if (language !== surveyLanguage && count > bestHits) {
      best = language;
      bestHits = count;
    }
  }
  return best;
};

/** The themes of a comment, in `themeCodes` order, each once; none for an empty comment. */
export const themesOf = (comment: string | undefined, surveyLanguage: Language): Theme[] => {
  if (comment === undefined || comment.trim() === '') return [];
  const words = wordsOf(comment);
  const language = languageOfWords(words, surveyLanguage);
  const text = { words, stems: words.map(stemmers[language]) };
  const found = new Set<Theme>();
  for (const { theme, matchers } of compiled[language]) {
    if (words.some((_, at) => matchers.some((matches) => matches(text, at)))) found.add(theme);
  }
  return themeCodes.filter((theme) => found.has(theme));
};
