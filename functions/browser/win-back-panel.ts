/**
 * The dashboard's "Win-back" panel: of the detractors who answered their next survey, the share who came
 * back as passives or promoters, called (reached, case closed) against never reached, with 95%
 * intervals, overall and per store, and whether the difference is significant (textContent only).
 */
import type { WinBackDifference, WinBackFigures, WinBackRate } from '../domain/win-back';
import type { WinBackReport } from '../schemas/report';
import { $ } from './dom';

const none = '\u2013';
const percent = (share: number) => `${Math.round(share * 100)}%`;
const note = (text: string) => {
  const span = document.createElement('span');
  span.className = 'note';
  span.textContent = text;
  return span;
};

/** `67%` with `12 of 18 came back, 95% interval 43–85%` (and a warning under 30 answers). */
const putRate = (node: HTMLElement, rate: WinBackRate) => {
  if (rate.rate === null || rate.low === null || rate.high === null) {
    node.replaceChildren(none, note('no answers yet'));
    return;
  }
  node.replaceChildren(
    percent(rate.rate),
    note(
      `${rate.wonBack} of ${rate.answered} came back, 95% interval ${Math.round(rate.low * 100)}\u2013${percent(rate.high)}` +
        (rate.lowConfidence ? '; fewer than 30 answers' : ''),
    ),
  );
};

/** `▲ 42 points more` (significant) or `+12 points` with `within noise`. */
const putDifference = (node: HTMLElement, difference: WinBackDifference | null) => {
  if (difference === null) {
    node.replaceChildren(none, note('a group has no answers yet'));
    return;
  }
  const points = Math.round(difference.difference * 100);
  const signed = `${points > 0 ? '+' : points < 0 ? '\u2212' : ''}${Math.abs(points)} points`;
  node.replaceChildren(
    difference.significant ? `${difference.z > 0 ? '\u25b2' : '\u25bc'} ${signed}` : signed,
    note(
      difference.significant
        ? `significant at 95%: ${Math.round(difference.low * 100)} to ${Math.round(difference.high * 100)} points`
        : 'within noise: not significant at 95%',
    ),
  );
  node.classList.toggle('move', difference.significant);
  node.classList.toggle('up', difference.significant && difference.z > 0);
  node.classList.toggle('down', difference.significant && difference.z < 0);
};

const row = (label: string, figures: WinBackFigures) => {
  const tr = document.createElement('tr');
  const head = document.createElement('th');
  head.scope = 'row';
  head.textContent = label;
  const cells = [0, 1, 2].map(() => document.createElement('td'));
  putRate(cells[0] as HTMLElement, figures.called);
  putRate(cells[1] as HTMLElement, figures.notReached);
  putDifference(cells[2] as HTMLElement, figures.difference);
  tr.append(head, ...cells);
  return tr;
};

export const renderWinBackPanel = (winBack: WinBackReport | undefined) => {
  if (winBack === undefined) return;
  putRate($('wb-called'), winBack.overall.called);
  putRate($('wb-not-reached'), winBack.overall.notReached);
  putDifference($('wb-difference'), winBack.overall.difference);
  $('wb-rows').replaceChildren(...winBack.stores.map((store) => row(store.name, store)));
};
