import { UsageError } from '../errors';
import { jsonLine, type Terminal } from '../terminal';

/** What one tick queued, per job (as `runTick` returns it). */
export interface TickQueued {
  readonly invitations: number;
  readonly reminders: number;
  readonly recounts: number;
  readonly escalations: number;
  readonly digests: number;
}

/** `--now` as a date; anything but an ISO 8601 date-time is a usage error. */
export const tickInstant = (text: string): Date => {
  const now = new Date(text);
  if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(`--now must be an ISO 8601 date-time such as 2027-06-01T09:00:00Z, got "${text}"`);
  }
  return now;
};

/**
 * `closeloop tick`: runs every time-driven job as of `--now` and prints what it queued, as a sentence
 * or, with `--json`, as `{"now", "invitations", "reminders", "recounts", "escalations", "digests"}`.
 */
export const runTickCommand = async (
  options: { readonly now: string; readonly json?: boolean },
  tick: (now: Date) => Promise<TickQueued>,
  terminal: Terminal,
): Promise<void> => {
  const now = tickInstant(options.now);
  const queued = await tick(now);
  terminal.stdout.write(
    options.json === true
      ? jsonLine({
          now: now.toISOString(),
          invitations: queued.invitations,
          reminders: queued.reminders,
          recounts: queued.recounts,
          escalations: queued.escalations,
          digests: queued.digests,
        })
      : `tick as of ${now.toISOString()}: queued ${queued.invitations} invitations, ${queued.reminders} reminders, ` +
          `${queued.recounts} answers to recount, ${queued.escalations} overdue cases to escalate and ` +
          `${queued.digests} daily digests.\n`,
  );
};
