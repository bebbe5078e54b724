import { type Language, languageOf } from '../domain/languages';

/**
 * What a promoter reads about being quoted: the consent form on the thank-you page, its confirmation
 * page and e-mail, and the withdrawal page. The consent question itself is versioned apart
 * (`consentWordings` in `functions/domain/testimonial-consent.ts`), since every consent keeps its text.
 */
export interface ConsentMessages {
  readonly formHeading: string;
  readonly quoteLabel: string;
  readonly signatureLegend: string;
  readonly fullName: (signature: string) => string;
  readonly firstNameInitial: (signature: string) => string;
  readonly anonymous: (signature: string) => string;
  readonly agree: string;
  readonly noThanks: string;
  readonly chooseSignature: string;
  readonly savedTitle: string;
  readonly savedText: (signature: string) => string;
  readonly mailSent: string;
  readonly mailFailedTitle: string;
  readonly mailFailedText: string;
  readonly notQuotableTitle: string;
  readonly notQuotableText: string;
  readonly mailSubject: (brand: string) => string;
  readonly mailGreeting: (firstName: string | undefined) => string;
  readonly mailIntro: (brand: string, date: string) => string;
  readonly mailSigned: (signature: string) => string;
  readonly mailWordingLabel: string;
  readonly mailWithdrawText: string;
  readonly withdrawLink: string;
  readonly withdrawTitle: string;
  readonly withdrawQuestion: (brand: string) => string;
  readonly withdrawButton: string;
  readonly withdrawnTitle: string;
  readonly withdrawnText: (brand: string) => string;
  readonly nothingToWithdrawTitle: string;
  readonly nothingToWithdrawText: string;
  readonly errorTitle: string;
  readonly errorText: string;
}

const en: ConsentMessages = {
  formHeading: 'May we quote you?',
  quoteLabel: 'What you wrote',
  signatureLegend: 'How should we sign your words?',
  fullName: (signature) => `With my full name: ${signature}`,
  firstNameInitial: (signature) => `With my first name and initial: ${signature}`,
  anonymous: (signature) => `Anonymously: “${signature}”`,
  agree: 'Yes, you may quote me',
  noThanks: 'If you would rather not, there is nothing to do: we will not quote you.',
  chooseSignature: 'Choose how we should sign your words.',
  savedTitle: 'Thank you for your words',
  savedText: (signature) => `You agreed that we may quote you, signed “${signature}”.`,
  mailSent: 'We have sent you an e-mail to confirm, with a link to withdraw your consent at any time.',
  mailFailedTitle: 'Your choice is saved',
  mailFailedText:
    'We could not send the confirmation e-mail just now. Please go back and send the form again in a minute.',
  notQuotableTitle: 'Nothing to quote',
  notQuotableText: 'We can only quote the comment of a customer who would recommend us.',
  mailSubject: (brand) => `Your words about ${brand}: you agreed to be quoted`,
  mailGreeting: (firstName) => (firstName ? `Hello ${firstName},` : 'Hello,'),
  mailIntro: (brand, date) => `Thank you for letting ${brand} quote you. On ${date} you agreed to this:`,
  mailSigned: (signature) => `Signed: ${signature}`,
  mailWordingLabel: 'The question you answered:',
  mailWithdrawText: 'Changed your mind? You can withdraw your consent at any time:',
  withdrawLink: 'Withdraw my consent',
  withdrawTitle: 'Withdraw your consent',
  withdrawQuestion: (brand) => `Stop ${brand} from quoting these words?`,
  withdrawButton: 'Withdraw my consent',
  withdrawnTitle: 'Your consent is withdrawn',
  withdrawnText: (brand) => `${brand} will not use your words in anything new from now on.`,
  nothingToWithdrawTitle: 'Nothing to withdraw',
  nothingToWithdrawText:
    'There is no consent to withdraw with this link: you did not agree to be quoted, or you withdrew already.',
  errorTitle: 'Something went wrong',
  errorText: 'Something went wrong on our side. Please try again later.',
};

const fr: ConsentMessages = {
  formHeading: 'Pouvons-nous vous citer ?',
  quoteLabel: 'Ce que vous avez écrit',
  signatureLegend: 'Comment signer vos mots ?',
  fullName: (signature) => `Avec mon nom complet : ${signature}`,
  firstNameInitial: (signature) => `Avec mon prénom et l’initiale de mon nom : ${signature}`,
  anonymous: (signature) => `Anonymement : « ${signature} »`,
  agree: 'Oui, vous pouvez me citer',
  noThanks: 'Si vous préférez que non, il n’y a rien à faire : nous ne vous citerons pas.',
  chooseSignature: 'Choisissez comment signer vos mots.',
  savedTitle: 'Merci pour vos mots',
  savedText: (signature) => `Vous avez accepté que nous vous citions, avec la signature « ${signature} ».`,
  mailSent:
    'Nous vous avons envoyé un e-mail de confirmation, avec un lien pour retirer votre accord à tout moment.',
  mailFailedTitle: 'Votre choix est enregistré',
  mailFailedText:
    'L’e-mail de confirmation n’a pas pu partir pour l’instant. Revenez en arrière et renvoyez le formulaire dans une minute.',
  notQuotableTitle: 'Rien à citer',
  notQuotableText: 'Nous ne pouvons citer que le commentaire d’un client qui nous recommanderait.',
  mailSubject: (brand) => `Vos mots sur ${brand} : vous avez accepté d’être cité`,
  mailGreeting: (firstName) => (firstName ? `Bonjour ${firstName},` : 'Bonjour,'),
  mailIntro: (brand, date) =>
    `Merci de permettre à ${brand} de vous citer. Le ${date}, vous avez accepté ceci :`,
  mailSigned: (signature) => `Signé : ${signature}`,
  mailWordingLabel: 'La question à laquelle vous avez répondu :',
  mailWithdrawText: 'Vous avez changé d’avis ? Vous pouvez retirer votre accord à tout moment :',
  withdrawLink: 'Retirer mon accord',
  withdrawTitle: 'Retirer votre accord',
  withdrawQuestion: (brand) => `Ne plus permettre à ${brand} de citer ces mots ?`,
  withdrawButton: 'Retirer mon accord',
  withdrawnTitle: 'Votre accord est retiré',
  withdrawnText: (brand) => `${brand} n’utilisera plus vos mots dans aucun nouveau support.`,
  nothingToWithdrawTitle: 'Rien à retirer',
  nothingToWithdrawText:
    'Aucun accord à retirer avec ce lien : vous n’avez pas accepté d’être cité, ou vous l’avez déjà retiré.',
  errorTitle: 'Une erreur est survenue',
  errorText: 'Une erreur est survenue de notre côté. Veuillez réessayer plus tard.',
};

const es: ConsentMessages = {
  formHeading: '¿Podemos citarle?',
  quoteLabel: 'Lo que ha escrito',
  signatureLegend: '¿Cómo firmamos sus palabras?',
  fullName: (signature) => `Con mi nombre completo: ${signature}`,
  firstNameInitial: (signature) => `Con mi nombre y la inicial del apellido: ${signature}`,
  anonymous: (signature) => `De forma anónima: «${signature}»`,
  agree: 'Sí, pueden citarme',
  noThanks: 'Si prefiere que no, no tiene que hacer nada: no le citaremos.',
  chooseSignature: 'Elija cómo firmar sus palabras.',
  savedTitle: 'Gracias por sus palabras',
  savedText: (signature) => `Ha aceptado que le citemos, con la firma «${signature}».`,
  mailSent:
    'Le hemos enviado un correo de confirmación, con un enlace para retirar su consentimiento en cualquier momento.',
  mailFailedTitle: 'Su elección está guardada',
  mailFailedText:
    'No hemos podido enviar el correo de confirmación ahora. Vuelva atrás y envíe el formulario de nuevo dentro de un minuto.',
  notQuotableTitle: 'Nada que citar',
  notQuotableText: 'Solo podemos citar el comentario de un cliente que nos recomendaría.',
  mailSubject: (brand) => `Sus palabras sobre ${brand}: ha aceptado que le citemos`,
  mailGreeting: (firstName) => (firstName ? `Hola, ${firstName}:` : 'Hola:'),
  mailIntro: (brand, date) => `Gracias por permitir que ${brand} le cite. El ${date} aceptó lo siguiente:`,
  mailSigned: (signature) => `Firmado: ${signature}`,
  mailWordingLabel: 'La pregunta que respondió:',
  mailWithdrawText: '¿Ha cambiado de opinión? Puede retirar su consentimiento en cualquier momento:',
  withdrawLink: 'Retirar mi consentimiento',
  withdrawTitle: 'Retirar su consentimiento',
  withdrawQuestion: (brand) => `¿Impedir que ${brand} cite estas palabras?`,
  withdrawButton: 'Retirar mi consentimiento',
  withdrawnTitle: 'Su consentimiento está retirado',
  withdrawnText: (brand) => `${brand} no usará sus palabras en nada nuevo a partir de ahora.`,
  nothingToWithdrawTitle: 'Nada que retirar',
  nothingToWithdrawText:
    'No hay ningún consentimiento que retirar con este enlace: no aceptó que le citáramos, o ya lo retiró.',
  errorTitle: 'Algo ha fallado',
  errorText: 'Algo ha fallado por nuestra parte. Inténtelo de nuevo más tarde.',
};

const catalogue: Readonly<Record<Language, ConsentMessages>> = { en, fr, es };

/** The consent texts for a locale: its language if we have it, else English. */
export const consentMessagesFor = (locale: string) => {
  const language = languageOf(locale);
  return { language, messages: catalogue[language] };
};
