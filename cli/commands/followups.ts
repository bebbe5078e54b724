import { isOverdue } from '../../functions/domain/follow-up';
import type { CaseRecord } from '../../functions/schemas/case';

/** The cases as a table for the terminal, overdue ones flagged, soonest due first. */
export const formatCases = (cases: readonly CaseRecord[], now: Date): string => {
  if (cases.length === 0) return 'No follow-up cases.\n';
  const rows = cases.map((caseRecord) => [
    isOverdue(caseRecord, now) ? 'OVERDUE' : '',
    caseRecord.status,
    caseRecord.storeId,
    `${caseRecord.score}/10`,
    caseRecord.customer.name || '-',
    caseRecord.customer.email,
    caseRecord.dueAt.slice(0, 16).replace('T', ' '),
    caseRecord.escalatedTo ? `escalated to ${caseRecord.escalatedTo}` : '',
    caseRecord.resolution?.kind ?? '',
    caseRecord.caseId,
  ]);
  const header = [
    '',
    'STATUS',
    'STORE',
    'SCORE',
    'CUSTOMER',
    'E-MAIL',
    'DUE (UTC)',
    'ESCALATION',
    'RESOLUTION',
    'CASE',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const overdue = cases.filter((caseRecord) => isOverdue(caseRecord, now)).length;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${cases.length} cases, ${overdue} overdue.\n`;
};
