/**
 * Everything a store manager reads, per language: the alert, update, escalation and digest e-mails
 * (the managers' page's own texts are in `manager-page-messages.ts`). Times are shown in the store's zone.
 */
import type { Language } from '../domain/languages';
import type { Reason } from '../schemas/answer';

/** Hours as said in a sentence: whole below 10 h rounded to a tenth, whole from 10 h. */
const hours = (value: number) =>
  value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));

export interface ManagerMessages {
  readonly alertSubject: (store: string, who: string, score: number) => string;
  readonly updateSubject: (who: string, store: string, score: number, changes: number) => string;
  readonly escalationSubject: (store: string, who: string, score: number) => string;
  readonly alertIntro: (store: string, due: string) => string;
  readonly updateIntro: (who: string, due: string) => string;
  readonly escalationIntro: (due: string) => string;
  readonly openThisCase: string;
  readonly toRecord: string;
  readonly yourCases: string;
  readonly labels: Readonly<
    Record<
      | 'customer'
      | 'email'
      | 'phone'
      | 'score'
      | 'changes'
      | 'comment'
      | 'reasons'
      | 'earlierScores'
      | 'case'
      | 'due'
      | 'store'
      | 'answered',
      string
    >
  >;
  /** The survey's reasons, as the manager reads them. */
  readonly reasons: Readonly<Record<Reason, string>>;
  readonly noComment: string;
  readonly noReasons: string;
  readonly firstSurvey: string;
  readonly noPhone: string;
  readonly digestSubject: (store: string, date: string) => string;
  readonly digestSummary: (
    date: string,
    nps: string,
    promoters: number,
    passives: number,
    detractors: number,
  ) => string;
  readonly npsFigure: (nps: string, margin: string, responses: number, tooFew: boolean) => string;
  readonly noResponses: string;
  readonly noOpenCases: string;
  /** The month's follow-up: first calls within the SLA of the cases opened, and the median time to it. */
  readonly followUpLine: (withinSla: number, opened: number, medianHours: number | null) => string;
  readonly openCases: (count: number) => string;
  readonly overdue: string;
  readonly dueBy: (time: string) => string;
}

const en: ManagerMessages = {
  alertSubject: (store, who, score) =>
    `Detractor at ${store}: ${who} gave ${score}/10, please call within 24 hours`,
  updateSubject: (who, store, score, changes) =>
    `Update from ${who} (${store}): now ${score}/10${changes > 1 ? ` after ${changes} changes` : ''}`,
  escalationSubject: (store, who, score) =>
    `Overdue follow-up at ${store}: ${who} (${score}/10) has not been contacted`,
  alertIntro: (store, due) =>
    `A customer of ${store} is unhappy. Please contact them before ${due} and record what happened.`,
  updateIntro: (who, due) =>
    `${who} changed their answer or told us why. The case is updated; it is due by ${due}.`,
  escalationIntro: (due) =>
    `This detractor case was due by ${due} and is still open. It is escalated to you.`,
  openThisCase: 'Open this case',
  toRecord: 'to record your call and how it ended.',
  yourCases: 'Your cases',
  labels: {
    customer: 'Customer',
    email: 'E-mail',
    phone: 'Phone',
    score: 'Score',
    changes: 'Changes since the last update',
    comment: 'Comment',
    reasons: 'Reasons',
    earlierScores: 'Earlier scores',
    case: 'Case',
    due: 'Due',
    store: 'Store',
    answered: 'Answered',
  },
  reasons: {
    product: 'Products',
    delivery: 'Delivery',
    staff: 'Staff',
    price: 'Prices',
    website: 'Website',
    other: 'Something else',
  },
  noComment: '(no comment)',
  noReasons: 'none given',
  firstSurvey: 'first survey',
  noPhone: 'no phone number on file',
  digestSubject: (store, date) => `${store}: daily NPS digest for ${date}`,
  digestSummary: (date, nps, promoters, passives, detractors) =>
    `${date} (UTC day): ${nps}; ${promoters} promoters, ${passives} passives, ${detractors} detractors.`,
  npsFigure: (nps, margin, responses, tooFew) =>
    `NPS ${nps} ± ${margin} from ${responses} responses${tooFew ? ' (too few to compare)' : ''}`,
  noResponses: 'no responses',
  noOpenCases: 'No open follow-up cases.',
  followUpLine: (within, opened, median) =>
    `Called within 24 h: ${within} of ${opened} this month${median === null ? '' : `; median ${hours(median)} h`}.`,
  openCases: (count) => (count === 1 ? '1 open follow-up case:' : `${count} open follow-up cases:`),
  overdue: 'OVERDUE',
  dueBy: (time) => `due ${time}`,
};

const fr: ManagerMessages = {
  alertSubject: (store, who, score) =>
    `Détracteur à ${store} : ${who} a donné ${score}/10, appelez sous 24 heures`,
  updateSubject: (who, store, score, changes) =>
    `Nouvelles de ${who} (${store}) : désormais ${score}/10${changes > 1 ? ` après ${changes} modifications` : ''}`,
  escalationSubject: (store, who, score) =>
    `Suivi en retard à ${store} : ${who} (${score}/10) n’a pas été contacté`,
  alertIntro: (store, due) =>
    `Un client de ${store} est mécontent. Contactez-le avant le ${due} et notez ce qui s’est passé.`,
  updateIntro: (who, due) =>
    `${who} a modifié sa réponse ou nous a dit pourquoi. Le dossier est à jour ; échéance : ${due}.`,
  escalationIntro: (due) =>
    `Ce dossier de détracteur devait être traité avant le ${due} et est toujours ouvert. Il vous est transmis.`,
  openThisCase: 'Ouvrir ce dossier',
  toRecord: 'pour noter votre appel et son issue.',
  yourCases: 'Vos dossiers',
  labels: {
    customer: 'Client',
    email: 'E-mail',
    phone: 'Téléphone',
    score: 'Note',
    changes: 'Modifications depuis le dernier message',
    comment: 'Commentaire',
    reasons: 'Motifs',
    earlierScores: 'Notes précédentes',
    case: 'Dossier',
    due: 'Échéance',
    store: 'Magasin',
    answered: 'Réponse',
  },
  reasons: {
    product: 'Produits',
    delivery: 'Livraison',
    staff: 'Personnel',
    price: 'Prix',
    website: 'Site web',
    other: 'Autre chose',
  },
  noComment: '(pas de commentaire)',
  noReasons: 'aucun',
  firstSurvey: 'première enquête',
  noPhone: 'pas de numéro de téléphone',
  digestSubject: (store, date) => `${store} : synthèse NPS du ${date}`,
  digestSummary: (date, nps, promoters, passives, detractors) =>
    `${date} (journée UTC) : ${nps} ; ${promoters} promoteurs, ${passives} passifs, ${detractors} détracteurs.`,
  npsFigure: (nps, margin, responses, tooFew) =>
    `NPS ${nps} ± ${margin} sur ${responses} réponses${tooFew ? ' (trop peu pour comparer)' : ''}`,
  noResponses: 'aucune réponse',
  noOpenCases: 'Aucun dossier de suivi ouvert.',
  followUpLine: (within, opened, median) =>
    `Appelés sous 24 h : ${within} sur ${opened} ce mois-ci${median === null ? '' : ` ; médiane ${hours(median).replace('.', ',')} h`}.`,
  openCases: (count) =>
    count === 1 ? '1 dossier de suivi ouvert :' : `${count} dossiers de suivi ouverts :`,
  overdue: 'EN RETARD',
  dueBy: (time) => `échéance ${time}`,
};

const es: ManagerMessages = {
  alertSubject: (store, who, score) =>
    `Detractor en ${store}: ${who} dio ${score}/10, llame en menos de 24 horas`,
  updateSubject: (who, store, score, changes) =>
    `Novedades de ${who} (${store}): ahora ${score}/10${changes > 1 ? ` tras ${changes} cambios` : ''}`,
  escalationSubject: (store, who, score) =>
    `Seguimiento atrasado en ${store}: nadie ha contactado a ${who} (${score}/10)`,
  alertIntro: (store, due) =>
    `Un cliente de ${store} no está satisfecho. Contáctelo antes del ${due} y anote lo que pasó.`,
  updateIntro: (who, due) =>
    `${who} cambió su respuesta o nos dijo por qué. El caso está actualizado; vence el ${due}.`,
  escalationIntro: (due) =>
    `Este caso de detractor vencía el ${due} y sigue abierto. Se le ha escalado a usted.`,
  openThisCase: 'Abrir este caso',
  toRecord: 'para anotar su llamada y cómo terminó.',
  yourCases: 'Sus casos',
  labels: {
    customer: 'Cliente',
    email: 'Correo',
    phone: 'Teléfono',
    score: 'Puntuación',
    changes: 'Cambios desde el último aviso',
    comment: 'Comentario',
    reasons: 'Motivos',
    earlierScores: 'Puntuaciones anteriores',
    case: 'Caso',
    due: 'Vence',
    store: 'Tienda',
    answered: 'Respuesta',
  },
  reasons: {
    product: 'Productos',
    delivery: 'Entrega',
    staff: 'Personal',
    price: 'Precios',
    website: 'Sitio web',
    other: 'Otra cosa',
  },
  noComment: '(sin comentario)',
  noReasons: 'ninguno',
  firstSurvey: 'primera encuesta',
  noPhone: 'sin número de teléfono',
  digestSubject: (store, date) => `${store}: resumen NPS del ${date}`,
  digestSummary: (date, nps, promoters, passives, detractors) =>
    `${date} (día UTC): ${nps}; ${promoters} promotores, ${passives} pasivos, ${detractors} detractores.`,
  npsFigure: (nps, margin, responses, tooFew) =>
    `NPS ${nps} ± ${margin} con ${responses} respuestas${tooFew ? ' (demasiado pocas para comparar)' : ''}`,
  noResponses: 'ninguna respuesta',
  noOpenCases: 'No hay casos de seguimiento abiertos.',
  followUpLine: (within, opened, median) =>
    `Llamados en 24 h: ${within} de ${opened} este mes${median === null ? '' : `; mediana ${hours(median).replace('.', ',')} h`}.`,
  openCases: (count) =>
    count === 1 ? '1 caso de seguimiento abierto:' : `${count} casos de seguimiento abiertos:`,
  overdue: 'ATRASADO',
  dueBy: (time) => `vence ${time}`,
};

const catalogue: Readonly<Record<Language, ManagerMessages>> = { en, fr, es };

export const managerMessagesFor = (language: Language): ManagerMessages => catalogue[language];

/** A time as a manager reads it: in the store's zone, in their language, with the zone named. */
export const localTime = (iso: string, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));

/** A calendar day (YYYY-MM-DD) written out in a language. */
export const longDate = (date: string, language: Language) =>
  new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
