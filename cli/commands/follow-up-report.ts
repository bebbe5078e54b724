import type { FollowUpFigures } from '../../functions/domain/follow-up-outcomes';
import type { FollowUpReport } from '../../functions/schemas/report';

const share = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
const hours = (value: number | null) => (value === null ? '–' : `${value} h`);

const row = (label: string, figures: FollowUpFigures) => [
  label,
  String(figures.opened),
  `${figures.withinSla} (${share(figures.slaShare)})`,
  String(figures.late),
  hours(figures.medianHoursToFirstContact),
  hours(figures.p90HoursToFirstContact),
  `${figures.calls.reached}/${figures.calls.voicemail}/${figures.calls['no-answer']}`,
  `${figures.resolutions.apology}/${figures.resolutions.refund}/${figures.resolutions.fix}/${figures.resolutions.coaching}/${figures.resolutions.other}`,
  String(figures.escalated),
  String(figures.overdue),
];

/** The follow-up section of the text report: overall and per store, as rows for the report's table. */
export const followUpRows = (followUp: FollowUpReport) => ({
  header: [
    'follow-up',
    'cases',
    `called ≤${followUp.slaHours} h`,
    'late',
    'median',
    'p90',
    'calls r/v/n',
    'closed a/r/f/c/o',
    'escalated',
    'overdue',
  ],
  rows: [
    row('overall', followUp.overall),
    ...followUp.stores.filter((store) => store.opened > 0).map((store) => row(store.storeId, store)),
  ],
  notes: [
    `Follow-up: cases counted in the period they were opened; called ≤${followUp.slaHours} h = first call within ${followUp.slaHours} h of the answer (share of cases opened).`,
    'Median and p90 hours to first call: estimated from hour buckets (1, 2, 4, 8, 12, 24, 48, 72, 168), interpolated within a bucket; 168 h means a week or more.',
    'Calls r/v/n: reached, voicemail, no answer. Closed: apology, refund, fix, coaching, other. Overdue: escalated and still not called or closed.',
  ],
});
