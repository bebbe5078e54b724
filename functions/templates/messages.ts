import { type Language, languageOf } from '../domain/languages';
import { type EmailMessages, emailCatalogue } from './email-messages';

/** Everything a customer reads, per language (the e-mails' part in `email-messages.ts`). Add a language in both. */
export interface Messages extends EmailMessages {
  readonly unsubscribeTitle: string;
  readonly unsubscribeQuestion: (brand: string) => string;
  readonly unsubscribeButton: string;
  readonly unsubscribedTitle: string;
  readonly unsubscribedText: (brand: string) => string;
  readonly notFoundTitle: string;
  readonly notFoundText: string;
  readonly surveyTitle: (brand: string) => string;
  readonly commentLabel: string;
  readonly commentHint: string;
  readonly reasonsLegend: string;
  readonly reasons: Readonly<
    Record<'product' | 'delivery' | 'staff' | 'price' | 'website' | 'other', string>
  >;
  readonly send: string;
  readonly saved: string;
  readonly thanksTitle: string;
  readonly thanksPromoter: (brand: string) => string;
  readonly thanksPassive: (brand: string) => string;
  readonly thanksDetractor: (store: string) => string;
  readonly changeLater: string;
  readonly reviewLink: string;
  readonly expiredTitle: string;
  readonly expiredText: string;
  readonly invalidTitle: string;
  readonly busyTitle: string;
  readonly busyText: string;
  /** The survey took all the changes it keeps. */
  readonly limitTitle: string;
  readonly limitText: string;
  /** The e-mail's hidden link (followed by link scanners, not people). */
  readonly hiddenLinkTitle: string;
  readonly hiddenLinkText: string;
}

const en: Messages = {
  ...emailCatalogue.en,
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeQuestion: (brand) => `Stop receiving satisfaction surveys from ${brand}?`,
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedText: (brand) => `You will not receive satisfaction surveys from ${brand} any more.`,
  notFoundTitle: 'Link not found',
  notFoundText: 'This link is not valid. Please use the link from your most recent e-mail.',
  surveyTitle: (brand) => `Your opinion of ${brand}`,
  commentLabel: 'Why did you give this score? (optional)',
  commentHint: 'A sentence is plenty. Only our team reads it.',
  reasonsLegend: 'What is it mostly about? (optional)',
  reasons: {
    product: 'Products',
    delivery: 'Delivery',
    staff: 'Staff',
    price: 'Prices',
    website: 'Website',
    other: 'Something else',
  },
  send: 'Send',
  saved: 'Thank you, your score is saved. You can tell us why below.',
  thanksTitle: 'Thank you!',
  thanksPromoter: (brand) =>
    `We are delighted you would recommend ${brand}. Telling a friend about us is the best thanks we could get.`,
  thanksPassive: (brand) => `Thank you for helping ${brand} do better.`,
  thanksDetractor: (store) =>
    `We are sorry we disappointed you. The manager of ${store} will be in touch with you shortly.`,
  changeLater: 'You can change your answer with the link in your e-mail until the survey closes.',
  reviewLink: 'Would you share that in a public review?',
  expiredTitle: 'This survey has closed',
  expiredText:
    'Thank you for your interest. This survey is no longer open; we will ask again in a few months.',
  invalidTitle: 'Please check your answer',
  busyTitle: 'Your answer is not saved yet',
  busyText: 'We are busy for a moment. Please go back and send your answer again in a few seconds.',
  limitTitle: 'Your answer is already saved',
  limitText: 'This survey has taken all the changes it can. The last answer you sent counts. Thank you!',
  hiddenLinkTitle: 'Nothing to see here',
  hiddenLinkText: 'To answer the survey, tap a number in the e-mail.',
};

const fr: Messages = {
  ...emailCatalogue.fr,
  unsubscribeTitle: 'Désinscription',
  unsubscribeQuestion: (brand) => `Ne plus recevoir les enquêtes de satisfaction de ${brand} ?`,
  unsubscribeButton: 'Me désinscrire',
  unsubscribedTitle: 'Vous êtes désinscrit',
  unsubscribedText: (brand) => `Vous ne recevrez plus d’enquêtes de satisfaction de ${brand}.`,
  notFoundTitle: 'Lien introuvable',
  notFoundText: 'Ce lien n’est pas valide. Utilisez le lien de votre e-mail le plus récent.',
  surveyTitle: (brand) => `Votre avis sur ${brand}`,
  commentLabel: 'Pourquoi cette note ? (facultatif)',
  commentHint: 'Une phrase suffit. Seule notre équipe la lit.',
  reasonsLegend: 'De quoi s’agit-il surtout ? (facultatif)',
  reasons: {
    product: 'Produits',
    delivery: 'Livraison',
    staff: 'Personnel',
    price: 'Prix',
    website: 'Site web',
    other: 'Autre chose',
  },
  send: 'Envoyer',
  saved: 'Merci, votre note est enregistrée. Vous pouvez nous dire pourquoi ci-dessous.',
  thanksTitle: 'Merci !',
  thanksPromoter: (brand) =>
    `Nous sommes ravis que vous recommandiez ${brand}. En parler à un proche est le plus beau des remerciements.`,
  thanksPassive: (brand) => `Merci d’aider ${brand} à s’améliorer.`,
  thanksDetractor: (store) =>
    `Nous sommes désolés de vous avoir déçu. Le responsable de ${store} vous contactera très prochainement.`,
  changeLater:
    'Vous pouvez modifier votre réponse avec le lien de votre e-mail jusqu’à la clôture de l’enquête.',
  reviewLink: 'Accepteriez-vous de le dire dans un avis public ?',
  expiredTitle: 'Cette enquête est close',
  expiredText:
    'Merci de votre intérêt. Cette enquête n’est plus ouverte ; nous vous interrogerons de nouveau dans quelques mois.',
  invalidTitle: 'Veuillez vérifier votre réponse',
  busyTitle: 'Votre réponse n’est pas encore enregistrée',
  busyText:
    'Nous sommes très sollicités. Revenez en arrière et renvoyez votre réponse dans quelques secondes.',
  limitTitle: 'Votre réponse est déjà enregistrée',
  limitText:
    'Cette enquête a reçu toutes les modifications qu’elle peut accepter. Votre dernière réponse compte. Merci !',
  hiddenLinkTitle: 'Rien à voir ici',
  hiddenLinkText: 'Pour répondre à l’enquête, touchez un chiffre dans l’e-mail.',
};

const es: Messages = {
  ...emailCatalogue.es,
  unsubscribeTitle: 'Darse de baja',
  unsubscribeQuestion: (brand) => `¿Dejar de recibir encuestas de satisfacción de ${brand}?`,
  unsubscribeButton: 'Darme de baja',
  unsubscribedTitle: 'Se ha dado de baja',
  unsubscribedText: (brand) => `Ya no recibirá encuestas de satisfacción de ${brand}.`,
  notFoundTitle: 'Enlace no encontrado',
  notFoundText: 'Este enlace no es válido. Use el enlace de su correo más reciente.',
  surveyTitle: (brand) => `Su opinión sobre ${brand}`,
  commentLabel: '¿Por qué ha dado esta puntuación? (opcional)',
  commentHint: 'Basta con una frase. Solo la lee nuestro equipo.',
  reasonsLegend: '¿De qué se trata sobre todo? (opcional)',
  reasons: {
    product: 'Productos',
    delivery: 'Entrega',
    staff: 'Personal',
    price: 'Precios',
    website: 'Sitio web',
    other: 'Otra cosa',
  },
  send: 'Enviar',
  saved: 'Gracias, su puntuación se ha guardado. Puede contarnos por qué a continuación.',
  thanksTitle: '¡Gracias!',
  thanksPromoter: (brand) =>
    `Nos alegra que recomiende ${brand}. Hablar de nosotros a un amigo es el mejor agradecimiento.`,
  thanksPassive: (brand) => `Gracias por ayudar a ${brand} a mejorar.`,
  thanksDetractor: (store) =>
    `Sentimos haberle decepcionado. El responsable de ${store} se pondrá en contacto con usted en breve.`,
  changeLater: 'Puede cambiar su respuesta con el enlace de su correo hasta que se cierre la encuesta.',
  reviewLink: '¿Le gustaría contarlo en una reseña pública?',
  expiredTitle: 'Esta encuesta está cerrada',
  expiredText:
    'Gracias por su interés. Esta encuesta ya no está abierta; volveremos a preguntarle dentro de unos meses.',
  invalidTitle: 'Revise su respuesta',
  busyTitle: 'Su respuesta aún no se ha guardado',
  busyText:
    'Estamos muy solicitados en este momento. Vuelva atrás y envíe su respuesta de nuevo en unos segundos.',
  limitTitle: 'Su respuesta ya está guardada',
  limitText: 'Esta encuesta ya recibió todos los cambios que admite. Cuenta su última respuesta. ¡Gracias!',
  hiddenLinkTitle: 'Aquí no hay nada',
  hiddenLinkText: 'Para responder a la encuesta, toque un número en el correo.',
};

const catalogue: Readonly<Record<Language, Messages>> = { en, fr, es };

/** The messages for a locale tag: its language if we have it (`fr-CA` → French), else English. */
export const messagesFor = (locale: string): { language: Language; messages: Messages } => {
  const language = languageOf(locale);
  return { language, messages: catalogue[language] };
};
