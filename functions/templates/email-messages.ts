import { type Language, languageOf } from '../domain/languages';

/** What a customer reads in the invitation and reminder e-mails, per language (see `Messages`). */
export interface EmailMessages {
  readonly subject: (brand: string) => string;
  readonly reminderSubject: (brand: string) => string;
  readonly greeting: (firstName: string | undefined) => string;
  readonly reminderIntro: string;
  readonly question: (brand: string) => string;
  readonly notLikely: string;
  readonly extremelyLikely: string;
  readonly tapHint: string;
  readonly visited: (store: string) => string;
  readonly whyFollows: string;
  readonly unsubscribe: string;
}

const en: EmailMessages = {
  subject: (brand) => `Would you recommend ${brand}? One quick question`,
  reminderSubject: (brand) => `Reminder: one quick question from ${brand}`,
  greeting: (firstName) => (firstName ? `Hello ${firstName},` : 'Hello,'),
  reminderIntro: 'A few days ago we asked you one question. If you have a moment, we would love your answer.',
  question: (brand) => `How likely are you to recommend ${brand} to a friend or colleague?`,
  notLikely: 'Not at all likely',
  extremelyLikely: 'Extremely likely',
  tapHint: 'Tap a number: it takes one second.',
  visited: (store) => `You shop at ${store}.`,
  whyFollows: 'On the next page you can tell us why, if you like.',
  unsubscribe: 'Unsubscribe from these surveys',
};

const fr: EmailMessages = {
  subject: (brand) => `Recommanderiez-vous ${brand} ? Une seule question`,
  reminderSubject: (brand) => `Rappel : une seule question de la part de ${brand}`,
  greeting: (firstName) => (firstName ? `Bonjour ${firstName},` : 'Bonjour,'),
  reminderIntro:
    'Il y a quelques jours, nous vous avons posé une question. Si vous avez un instant, votre réponse nous aiderait beaucoup.',
  question: (brand) => `Quelle est la probabilité que vous recommandiez ${brand} à un ami ou un collègue ?`,
  notLikely: 'Pas du tout probable',
  extremelyLikely: 'Très probable',
  tapHint: 'Touchez un chiffre : cela prend une seconde.',
  visited: (store) => `Votre magasin : ${store}.`,
  whyFollows: 'Sur la page suivante, vous pourrez nous dire pourquoi, si vous le souhaitez.',
  unsubscribe: 'Ne plus recevoir ces enquêtes',
};

const es: EmailMessages = {
  subject: (brand) => `¿Recomendaría ${brand}? Una sola pregunta`,
  reminderSubject: (brand) => `Recordatorio: una sola pregunta de ${brand}`,
  greeting: (firstName) => (firstName ? `Hola, ${firstName}:` : 'Hola:'),
  reminderIntro:
    'Hace unos días le hicimos una pregunta. Si tiene un momento, su respuesta nos ayudaría mucho.',
  question: (brand) => `¿Qué probabilidad hay de que recomiende ${brand} a un amigo o colega?`,
  notLikely: 'Nada probable',
  extremelyLikely: 'Muy probable',
  tapHint: 'Pulse un número: solo lleva un segundo.',
  visited: (store) => `Su tienda: ${store}.`,
  whyFollows: 'En la página siguiente puede contarnos por qué, si lo desea.',
  unsubscribe: 'Darse de baja de estas encuestas',
};

/** Kept apart from the pages' messages, so the invitation sender bundles only these. */
export const emailCatalogue: Readonly<Record<Language, EmailMessages>> = { en, fr, es };

/** The e-mail messages for a locale tag: its language if we have it (`fr-CA` → French), else English. */
export const emailMessagesFor = (locale: string): { language: Language; messages: EmailMessages } => {
  const language = languageOf(locale);
  return { language, messages: emailCatalogue[language] };
};
