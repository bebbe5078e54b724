import { isOverdue } from '../../functions/domain/follow-up';
import type { CaseRecord } from '../../functions/schemas/case';
import { textTable } from '../terminal';

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
  const overdue = cases.filter((caseRecord) => isOverdue(caseRecord, now)).length;
  return `${textTable(header, rows)}\n\n${cases.length} cases, ${overdue} overdue.\n`;
};
