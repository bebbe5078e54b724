import { messagesFor } from './messages';
import { escapeHtml, page } from './pages';

/** Asks a customer to confirm (link scanners fetch links, and must not unsubscribe anyone). */
export const renderUnsubscribeQuestion = (locale: string, brand: string) => {
  const { language, messages } = messagesFor(locale);
  return page({
    language,
    title: messages.unsubscribeTitle,
    body:
      `<p>${escapeHtml(messages.unsubscribeQuestion(brand))}</p>` +
      `<form method="post"><button type="submit">${escapeHtml(messages.unsubscribeButton)}</button></form>`,
  });
};

/** Tells a customer they will get no more mail. */
export const renderUnsubscribed = (locale: string, brand: string) => {
  const { language, messages } = messagesFor(locale);
  return page({
    language,
    title: messages.unsubscribedTitle,
    body: `<p>${escapeHtml(messages.unsubscribedText(brand))}</p>`,
  });
};

/** A link that leads nowhere (404), or a failure on our side. */
export const renderUnsubscribeError = (status: number) => {
  const { language, messages } = messagesFor('en');
  const text =
    status === 404 ? messages.notFoundText : 'Something went wrong on our side. Please try again later.';
  return page({
    language,
    title: status === 404 ? messages.notFoundTitle : 'Error',
    body: `<p>${escapeHtml(text)}</p>`,
  });
};
