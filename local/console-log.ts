import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

/**
 * The local console is for people: one line per event (time, level, function, message, the useful
 * ids), a stack trace only for a real failure (error level) or with `--verbose`. The functions in AWS
 * keep Powertools' structured JSON; only the local runtime prints this way.
 */
export type ConsoleLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: Record<ConsoleLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const settings = { threshold: 'info' as ConsoleLevel, verbose: false };

export const configureConsoleLog = ({ verbose }: { verbose: boolean }) => {
  settings.verbose = verbose;
  settings.threshold = verbose ? 'debug' : 'info';
};

const asError = (value: unknown) =>
  value !== null && typeof value === 'object' && 'message' in value
    ? (value as { name?: string; message: string; stack?: string })
    : undefined;

const field = (key: string, value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
};

/** One readable line (and, for real failures or when verbose, the error's stack below it). */
export const formatConsoleLine = (
  level: ConsoleLevel,
  source: string,
  message: string,
  fields: Readonly<Record<string, unknown>> = {},
  { verbose = settings.verbose, at = new Date() }: { verbose?: boolean; at?: Date } = {},
): string => {
  const parts = [at.toISOString().slice(11, 19), level.toUpperCase().padEnd(5), source, message];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const error = asError(value);
    if (error === undefined) {
      parts.push(field(key, value));
      continue;
    }
    parts.push(field(key, `${error.name ?? 'Error'}: ${error.message}`));
    if (level === 'error' || verbose) stack = error.stack;
  }
  return stack === undefined ? parts.join('  ') : `${parts.join('  ')}\n${stack}`;
};

const print = (level: ConsoleLevel, line: string) => {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

/** The local runtime's own events (pollers, scheduler), in the same one-line form as the functions'. */
export const consoleLog = Object.fromEntries(
  (Object.keys(rank) as ConsoleLevel[]).map((level) => [
    level,
    (source: string, message: string, fields?: Readonly<Record<string, unknown>>) => {
      if (rank[level] >= rank[settings.threshold])
        print(level, formatConsoleLine(level, source, message, fields));
    },
  ]),
) as Record<
  ConsoleLevel,
  (source: string, message: string, fields?: Readonly<Record<string, unknown>>) => void
>;

const invocation = new AsyncLocalStorage<string>();

/**
 * Runs a handler invocation as the named function: every function shares one process locally, so the
 * name its log lines carry comes from the invocation rather than from the shared logger's state.
 */
export const asFunction = <T>(functionName: string, invoke: () => T): T =>
  invocation.run(functionName, invoke);

/** Powertools attributes that say nothing to a person at a terminal. */
const quietAttributes = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

const levelOf = (powertoolsLevel: unknown): ConsoleLevel => {
  const name = String(powertoolsLevel).toLowerCase();
  if (name === 'critical') return 'error';
  return name in rank ? (name as ConsoleLevel) : 'info';
};

/**
 * The functions' Powertools logger, printing one line per entry: the same logger calls as in AWS
 * (levels, Lambda context, extra keys), only a different last step.
 */
export class ConsoleLineLogger extends Logger {
  public constructor(options: ConstructorOptions = {}) {
    super({ ...options, logLevel: settings.verbose ? 'DEBUG' : (options.logLevel ?? 'INFO') });
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    const attributes = log.getAttributes() as Record<string, unknown>;
    const level = levelOf(attributes.level);
    const source =
      invocation.getStore() ?? String(attributes.function_name ?? attributes.service ?? 'closeloop');
    const fields = Object.fromEntries(
      Object.entries(attributes).filter(([key]) => !quietAttributes.has(key)),
    );
    print(level, formatConsoleLine(level, source, String(attributes.message ?? ''), fields));
  }
}
