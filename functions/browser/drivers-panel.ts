/**
 * The dashboard's "Drivers" panel: the reasons customers picked and the themes of their comments, each
 * with how many named it, the split of promoters, passives and detractors among them and their NPS,
 * and the latest example comments per theme (textContent only: a comment never becomes markup).
 */
import type { DriverFigures, DriversFigures, ThemeExamples } from '../domain/drivers';
import { categoryOf, MIN_RESPONSES_FOR_CONFIDENCE } from '../domain/nps';
import { themeLabels } from '../domain/theme-labels';
import { messagesFor } from '../templates/messages';
import { $ } from './dom';

const none = '\u2013';
const reasonLabels = messagesFor('en').messages.reasons;
const percent = (share: number | null) => (share === null ? none : `${Math.round(share * 100)}%`);
const whole = (value: number) => String(Math.round(value)).replace('-', '\u2212');

const node = <Tag extends keyof HTMLElementTagNameMap>(tag: Tag, text?: string, className?: string) => {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  return element;
};

const row = (label: string, figures: DriverFigures) => {
  const tr = node('tr');
  const head = node('th', label);
  head.scope = 'row';
  const nps = node(
    'td',
    figures.nps === null ? none : `${whole(figures.nps)} \u00b1 ${Math.round(figures.marginOfError ?? 0)}`,
  );
  if (figures.nps !== null && figures.lowConfidence) {
    nps.classList.add('low');
    nps.append(node('span', `fewer than ${MIN_RESPONSES_FOR_CONFIDENCE} answers`, 'note'));
  }
  tr.append(
    head,
    node('td', String(figures.mentions)),
    node(
      'td',
      `${percent(figures.share.promoters)} / ${percent(figures.share.passives)} / ${percent(figures.share.detractors)}`,
    ),
    nps,
    node('td', percent(figures.shareOfCategory.detractors)),
  );
  return tr;
};

const examplesList = (drivers: DriversFigures, examples: ThemeExamples) =>
  drivers.themes
    .filter(({ theme }) => (examples[theme] ?? []).length > 0)
    .map(({ theme }) => {
      const item = node('li');
      item.append(node('h4', themeLabels.en[theme]));
      const quotes = node('ul');
      for (const example of examples[theme] ?? []) {
        const quote = node('li');
        quote.append(
          node('span', `${example.score}/10`, `score ${categoryOf(example.score)}`),
          ` ${example.day} `,
          node('q', example.comment, 'comment'),
        );
        quotes.append(quote);
      }
      item.append(quotes);
      return item;
    });

export const renderDriversPanel = (drivers: DriversFigures & { readonly examples: ThemeExamples }) => {
  $('drivers-summary').textContent =
    drivers.answers === 0
      ? 'No answers counted for the drivers in this period.'
      : `${drivers.answers} answers: ${drivers.withReasons} picked reasons, ${drivers.withComments} left a comment.`;
  $('reason-rows').replaceChildren(
    ...drivers.reasons.map((figures) => row(reasonLabels[figures.reason], figures)),
  );
  const themes = drivers.themes.filter((figures) => figures.mentions > 0);
  $('theme-rows').replaceChildren(...themes.map((figures) => row(themeLabels.en[figures.theme], figures)));
  $('no-themes').hidden = themes.length > 0;
  $('theme-examples').replaceChildren(...examplesList(drivers, drivers.examples));
};
