import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  asFunction,
  ConsoleLineLogger,
  configureConsoleLog,
  formatConsoleLine,
} from '../../../local/console-log';

const at = new Date('2026-11-30T09:15:02Z');
const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

afterEach(() => {
  configureConsoleLog({ verbose: false });
  vi.restoreAllMocks();
});

describe('formatConsoleLine', () => {
  it('puts time, level, function, message and ids on one line', () => {
    expect(
      formatConsoleLine('info', 'follow-ups', 'case opened', { caseId: 'c1', note: 'two words' }, { at }),
    ).toBe('09:15:02  INFO   follow-ups  case opened  caseId=c1  note="two words"');
  });

  it('names an error in one line when it is only a warning', () => {
    const line = formatConsoleLine(
      'warn',
      'send-invitations',
      'task failed; will retry',
      { error: throttled },
      { at },
    );
    expect(line).toBe(
      '09:15:02  WARN   send-invitations  task failed; will retry  error="ThrottlingException: Rate exceeded"',
    );
  });

  it('adds the stack of a real failure, or of any error when verbose', () => {
    expect(
      formatConsoleLine('error', 'tick', 'tick failed', { error: throttled }, { at }).split('\n').length,
    ).toBeGreaterThan(2);
    expect(
      formatConsoleLine('warn', 'tick', 'retry', { error: throttled }, { at, verbose: true }).split('\n')
        .length,
    ).toBeGreaterThan(2);
  });
});

describe('ConsoleLineLogger', () => {
  it('prints a Powertools entry as one line named after the invoked function, and hides debug lines', () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => printed.push(line));
    const logger = new ConsoleLineLogger({ serviceName: 'closeloop' });

    asFunction('follow-ups', () => {
      logger.info('follow-up task done', { messageId: 'm1', outcome: 'opened' });
      logger.debug('an expected retry', { messageId: 'm2' });
    });

    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(
      /^\d\d:\d\d:\d\d {2}INFO {3}follow-ups {2}follow-up task done {2}messageId=m1 {2}outcome=opened$/,
    );
  });

  it('prints debug lines when verbose', () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    configureConsoleLog({ verbose: true });
    new ConsoleLineLogger({ serviceName: 'closeloop' }).debug('an expected retry');
    expect(printed).toEqual([expect.stringContaining('DEBUG  closeloop  an expected retry')]);
  });
});
