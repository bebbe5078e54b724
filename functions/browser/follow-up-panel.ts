/** The dashboard's "Follow-up" panel: SLA share, time to first call, outcomes and resolutions (textContent only). */
import type { FollowUpFigures } from '../domain/follow-up-outcomes';
import { $ } from './dom';

const hours = (value: number | null) => (value === null ? '\u2013' : `${value} h`);

export const renderFollowUpPanel = (figures: FollowUpFigures) => {
  $('fu-sla').textContent =
    figures.opened === 0
      ? '\u2013'
      : `${figures.withinSla} of ${figures.opened} (${Math.round((figures.slaShare ?? 0) * 100)}%)`;
  $('fu-median').textContent = hours(figures.medianHoursToFirstContact);
  $('fu-p90').textContent = hours(figures.p90HoursToFirstContact);
  $('fu-escalated').textContent = `${figures.escalated} (${figures.overdue} overdue)`;
  const rows: [string, number][] = [
    ['Calls: reached', figures.calls.reached],
    ['Calls: voicemail', figures.calls.voicemail],
    ['Calls: no answer', figures.calls['no-answer']],
    ['Closed: apology', figures.resolutions.apology],
    ['Closed: refund', figures.resolutions.refund],
    ['Closed: fix', figures.resolutions.fix],
    ['Closed: coaching', figures.resolutions.coaching],
    ['Closed: other', figures.resolutions.other],
  ];
  $('fu-rows').replaceChildren(
    ...rows.map(([label, count]) => {
      const row = document.createElement('tr');
      const head = document.createElement('th');
      head.scope = 'row';
      head.textContent = label;
      const cell = document.createElement('td');
      cell.textContent = String(count);
      row.append(head, cell);
      return row;
    }),
  );
};
