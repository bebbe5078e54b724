import type { WinBackFigures, WinBackRate } from '../../functions/domain/win-back';
import type { WinBackReport } from '../../functions/schemas/report';

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** `8/10 80% (48–95%) *`: won back of answered, the share, its 95% interval, `*` under 30 answers. */
const rate = (figures: WinBackRate) =>
  figures.rate === null || figures.low === null || figures.high === null
    ? '–'
    : `${figures.wonBack}/${figures.answered} ${percent(figures.rate)} (${Math.round(figures.low * 100)}–${percent(figures.high)})${figures.lowConfidence ? ' *' : ''}`;

/** `+55 pts ▲` when significant, the bare difference for noise. */
const difference = (figures: WinBackFigures) => {
  const { difference: change } = figures;
  if (change === null) return '–';
  const points = Math.round(change.difference * 100);
  return `${points > 0 ? '+' : ''}${points} pts${change.significant ? (change.z > 0 ? ' ▲' : ' ▼') : ''}`;
};

const row = (label: string, figures: WinBackFigures) => [
  label,
  rate(figures.called),
  rate(figures.notReached),
  difference(figures),
];

/** The win-back section of the text report: overall and per store with answers, as rows for a table. */
export const winBackRows = (winBack: WinBackReport) => ({
  header: ['win-back', 'called', 'not reached', 'difference'],
  rows: [
    row('overall', winBack.overall),
    ...winBack.stores
      .filter((store) => store.called.answered + store.notReached.answered > 0)
      .map((store) => row(store.storeId, store)),
  ],
  notes: [
    'Win-back: detractors who answered their next survey as passives or promoters, won/answered, share (95% interval, adjusted Wald).',
    'Called: a call reached them and the case was closed before the next survey; not reached: no call reached them (the control group, not randomised).',
    '▲ / ▼: significant difference at 95% (Agresti–Caffo); counted in the period of the next answer, in the store whose case it was.',
  ],
});
