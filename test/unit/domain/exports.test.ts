import { describe, expect, it } from 'vitest';
import {
  exportFailureReasons,
  exportStallSeconds,
  reportedExportJob,
} from '../../../functions/domain/exports';
import { exportSegments } from '../../../functions/resources/manifests/workers';
import { visibilityTimeoutSecondsOf } from '../../../functions/resources/queue-consumers';
import { exportsQueue } from '../../../functions/resources/queues';

const job = (status: string, updatedAt: string) => ({ status, updatedAt });
const now = new Date('2026-11-03T12:00:00.000Z');

describe('exportStallSeconds', () => {
  it('waits out a whole run and the retry after it, from the worker’s manifest and queue', () => {
    const stall = exportStallSeconds({
      timeoutSeconds: exportSegments.timeoutSeconds,
      visibilityTimeoutSeconds: visibilityTimeoutSecondsOf(exportsQueue),
    });
    expect(stall).toBe(6300);
    expect(stall).toBeGreaterThanOrEqual(2 * exportSegments.timeoutSeconds);
  });
});

describe('reportedExportJob', () => {
  it('reports a job queued or running with no news past the deadline as failed, saying so', () => {
    for (const status of ['queued', 'running']) {
      expect(reportedExportJob(job(status, '2026-11-03T10:14:59.000Z'), now, 6300)).toEqual({
        status: 'failed',
        updatedAt: '2026-11-03T10:14:59.000Z',
        failure: exportFailureReasons.stalled,
      });
    }
  });

  it('leaves a job inside the deadline, and a ready or failed one, as it is', () => {
    expect(reportedExportJob(job('running', '2026-11-03T10:15:00.000Z'), now, 6300).status).toBe('running');
    expect(reportedExportJob(job('ready', '2026-11-01T00:00:00.000Z'), now, 6300).status).toBe('ready');
    const failed = { ...job('failed', '2026-11-01T00:00:00.000Z'), failure: 'The store S9 does not exist.' };
    expect(reportedExportJob(failed, now, 6300)).toBe(failed);
  });

  it('gives reasons that are one short sentence or two, with nothing internal', () => {
    for (const reason of [
      exportFailureReasons.invalidRequest,
      exportFailureReasons.rejected,
      exportFailureReasons.gaveUp(3),
      exportFailureReasons.stalled,
    ]) {
      expect(reason.length).toBeLessThan(160);
      expect(reason).not.toMatch(/Exception|Error|arn:|\n/);
    }
  });
});
