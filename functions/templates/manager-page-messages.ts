/**
 * The managers' page's texts, per language (its script bundles them with the manager e-mails'
 * texts; the functions that send e-mails do not bundle these).
 */
import type { Language } from '../domain/languages';
import type { CallOutcome, CaseFilter, CaseStatus, ResolutionKind } from '../schemas/case';

export interface ManagerPageMessages {
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
}

const en: ManagerPageMessages = {
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
};

const fr: ManagerPageMessages = {
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
};

const es: ManagerPageMessages = {
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
};

const catalogue: Readonly<Record<Language, ManagerPageMessages>> = { en, fr, es };

export const managerPageMessagesFor = (language: Language): ManagerPageMessages => catalogue[language];
