import type { DriverFigures } from '../../functions/domain/drivers';
import type { DriversReport } from '../../functions/schemas/report';
import { textTable } from '../terminal';

const share = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
const nps = ({ nps, marginOfError, lowConfidence }: DriverFigures) =>
  nps === null || marginOfError === null
    ? '–'
    : `${nps > 0 ? '+' : ''}${nps.toFixed(1)} ±${marginOfError.toFixed(1)}${lowConfidence ? ' *' : ''}`;

const header = (what: string) => [
  what,
  'named',
  'P/Pa/D',
  'NPS ±95%',
  'of promoters',
  'of passives',
  'of detractors',
];
const row = (label: string, figures: DriverFigures) => [
  label,
  String(figures.mentions),
  `${share(figures.share.promoters)}/${share(figures.share.passives)}/${share(figures.share.detractors)}`,
  nps(figures),
  share(figures.shareOfCategory.promoters),
  share(figures.shareOfCategory.passives),
  share(figures.shareOfCategory.detractors),
];

/** One line, quoted and cut, for an example comment. */
const quote = (comment: string) =>
  `“${comment.replace(/\s+/g, ' ').slice(0, 100)}${comment.length > 100 ? '…' : ''}”`;

/** The drivers section of the text report: reasons, comment themes and their example comments. */
export const formatDrivers = (drivers: DriversReport) => {
  const { overall } = drivers;
  const examples = overall.themes.flatMap(({ theme }) =>
    (overall.examples[theme] ?? []).map(
      (example) => `  ${theme}: ${quote(example.comment)} (${example.score}, ${example.day})`,
    ),
  );
  return [
    `Drivers: ${overall.answers} answers counted, ${overall.withReasons} with reasons picked, ${overall.withComments} with a comment.`,
    '',
    textTable(
      header('reason'),
      overall.reasons.map((figures) => row(figures.reason, figures)),
    ),
    '',
    textTable(
      header('comment theme'),
      overall.themes.filter((figures) => figures.mentions > 0).map((figures) => row(figures.theme, figures)),
    ),
    '',
    ...(examples.length > 0 ? ['Example comments (latest per theme):', ...examples, ''] : []),
    'named: answers that picked the reason (or wrote about the theme). P/Pa/D: their promoters, passives, detractors.',
    'NPS ±95%: of the customers who named it. of detractors: share of all detractors who named it (themes: of those who commented).',
    '',
  ].join('\n');
};
