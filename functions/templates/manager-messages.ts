/**
 * Everything a store manager reads, per language: the alert, update, escalation and digest e-mails
 * and the managers' page (whose script bundles this module). Times are shown in the store's zone.
 */
import type { Language } from '../domain/languages';
import type { Reason } from '../schemas/answer';
import type { CallOutcome, CaseFilter, CaseStatus, ResolutionKind } from '../schemas/case';

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
  readonly page: {
    readonly title: string;
    readonly filtersLabel: string;
    readonly showLabel: string;
    readonly filters: Readonly<Record<CaseFilter, string>>;
    readonly storeLabel: string;
    readonly allStores: string;
    readonly statuses: Readonly<Record<CaseStatus, string>>;
    readonly shown: (count: number) => string;
    readonly nothing: string;
    readonly more: string;
    readonly loading: string;
    readonly back: string;
    readonly call: (phone: string) => string;
    readonly writeTo: (email: string) => string;
    readonly history: string;
    readonly noHistory: string;
    readonly callEntry: (outcome: string) => string;
    readonly noteEntry: string;
    readonly outcomes: Readonly<Record<CallOutcome, string>>;
    readonly recordCall: string;
    readonly outcomeLegend: string;
    readonly optionalNote: string;
    readonly saveCall: string;
    readonly closeCase: string;
    readonly resolutionLegend: string;
    readonly resolutions: Readonly<Record<ResolutionKind, string>>;
    readonly closeNote: string;
    readonly addNote: string;
    readonly note: string;
    readonly saveNote: string;
    readonly saved: string;
    readonly closedOn: (time: string, resolution: string) => string;
    readonly escalatedTo: (who: string) => string;
    readonly erased: string;
    readonly openCase: (who: string) => string;
  };
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
  page: {
    title: 'Follow-up cases',
    filtersLabel: 'Which cases',
    showLabel: 'Show',
    filters: {
      todo: 'To do',
      open: 'Not called yet',
      contacted: 'Called, not closed',
      closed: 'Closed',
      all: 'All cases',
    },
    storeLabel: 'Store',
    allStores: 'All my stores',
    statuses: { open: 'Not called yet', contacted: 'Called', closed: 'Closed' },
    shown: (count) => (count === 1 ? '1 case shown.' : `${count} cases shown.`),
    nothing: 'Nothing to show here.',
    more: 'Show more cases',
    loading: 'Loading…',
    back: 'Back to the list',
    call: (phone) => `Call ${phone}`,
    writeTo: (email) => `Write to ${email}`,
    history: 'Calls and notes',
    noHistory: 'Nothing recorded yet.',
    callEntry: (outcome) => `Call: ${outcome}`,
    noteEntry: 'Note',
    outcomes: { reached: 'Reached the customer', voicemail: 'Left a voicemail', 'no-answer': 'No answer' },
    recordCall: 'Record a call',
    outcomeLegend: 'How did the call go?',
    optionalNote: 'Note (optional)',
    saveCall: 'Save the call',
    closeCase: 'Close the case',
    resolutionLegend: 'How was it resolved?',
    resolutions: {
      apology: 'Apology',
      refund: 'Refund or voucher',
      fix: 'Problem fixed',
      coaching: 'Staff coaching',
      other: 'Other',
    },
    closeNote: 'Note (required for Other)',
    addNote: 'Add a note',
    note: 'Note',
    saveNote: 'Save the note',
    saved: 'Saved.',
    closedOn: (time, resolution) => `Closed ${time}: ${resolution}.`,
    escalatedTo: (who) => `Escalated to ${who}.`,
    erased: "The customer's personal data was erased.",
    openCase: (who) => `Open the case of ${who}`,
  },
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
  page: {
    title: 'Dossiers de suivi',
    filtersLabel: 'Quels dossiers',
    showLabel: 'Afficher',
    filters: {
      todo: 'À traiter',
      open: 'Pas encore appelés',
      contacted: 'Appelés, non clos',
      closed: 'Clos',
      all: 'Tous les dossiers',
    },
    storeLabel: 'Magasin',
    allStores: 'Tous mes magasins',
    statuses: { open: 'Pas encore appelé', contacted: 'Appelé', closed: 'Clos' },
    shown: (count) => (count <= 1 ? `${count} dossier affiché.` : `${count} dossiers affichés.`),
    nothing: 'Rien à afficher ici.',
    more: 'Afficher plus de dossiers',
    loading: 'Chargement…',
    back: 'Retour à la liste',
    call: (phone) => `Appeler le ${phone}`,
    writeTo: (email) => `Écrire à ${email}`,
    history: 'Appels et notes',
    noHistory: 'Rien de noté pour l’instant.',
    callEntry: (outcome) => `Appel : ${outcome}`,
    noteEntry: 'Note',
    outcomes: { reached: 'Client joint', voicemail: 'Message laissé', 'no-answer': 'Pas de réponse' },
    recordCall: 'Noter un appel',
    outcomeLegend: 'Comment s’est passé l’appel ?',
    optionalNote: 'Note (facultative)',
    saveCall: 'Enregistrer l’appel',
    closeCase: 'Clore le dossier',
    resolutionLegend: 'Comment a-t-il été résolu ?',
    resolutions: {
      apology: 'Excuses',
      refund: 'Remboursement ou bon d’achat',
      fix: 'Problème réglé',
      coaching: 'Accompagnement de l’équipe',
      other: 'Autre',
    },
    closeNote: 'Note (obligatoire pour Autre)',
    addNote: 'Ajouter une note',
    note: 'Note',
    saveNote: 'Enregistrer la note',
    saved: 'Enregistré.',
    closedOn: (time, resolution) => `Clos le ${time} : ${resolution}.`,
    escalatedTo: (who) => `Transmis à ${who}.`,
    erased: 'Les données personnelles du client ont été effacées.',
    openCase: (who) => `Ouvrir le dossier de ${who}`,
  },
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
  page: {
    title: 'Casos de seguimiento',
    filtersLabel: 'Qué casos',
    showLabel: 'Mostrar',
    filters: {
      todo: 'Pendientes',
      open: 'Sin llamar',
      contacted: 'Llamados, sin cerrar',
      closed: 'Cerrados',
      all: 'Todos los casos',
    },
    storeLabel: 'Tienda',
    allStores: 'Todas mis tiendas',
    statuses: { open: 'Sin llamar', contacted: 'Llamado', closed: 'Cerrado' },
    shown: (count) => (count === 1 ? '1 caso mostrado.' : `${count} casos mostrados.`),
    nothing: 'No hay nada que mostrar.',
    more: 'Mostrar más casos',
    loading: 'Cargando…',
    back: 'Volver a la lista',
    call: (phone) => `Llamar al ${phone}`,
    writeTo: (email) => `Escribir a ${email}`,
    history: 'Llamadas y notas',
    noHistory: 'Nada anotado todavía.',
    callEntry: (outcome) => `Llamada: ${outcome}`,
    noteEntry: 'Nota',
    outcomes: { reached: 'Cliente localizado', voicemail: 'Mensaje en el buzón', 'no-answer': 'No contesta' },
    recordCall: 'Anotar una llamada',
    outcomeLegend: '¿Cómo fue la llamada?',
    optionalNote: 'Nota (opcional)',
    saveCall: 'Guardar la llamada',
    closeCase: 'Cerrar el caso',
    resolutionLegend: '¿Cómo se resolvió?',
    resolutions: {
      apology: 'Disculpas',
      refund: 'Reembolso o vale',
      fix: 'Problema resuelto',
      coaching: 'Formación del equipo',
      other: 'Otro',
    },
    closeNote: 'Nota (obligatoria para Otro)',
    addNote: 'Añadir una nota',
    note: 'Nota',
    saveNote: 'Guardar la nota',
    saved: 'Guardado.',
    closedOn: (time, resolution) => `Cerrado el ${time}: ${resolution}.`,
    escalatedTo: (who) => `Escalado a ${who}.`,
    erased: 'Los datos personales del cliente se borraron.',
    openCase: (who) => `Abrir el caso de ${who}`,
  },
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
