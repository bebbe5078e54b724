import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/** A Logger that can be told of an invocation after it began (it is created on first use). */
class InvocationLogger extends Logger {
  addInvocationContext(context: Context, coldStart: boolean) {
    // Powertools marks the first context it is given as the cold start; a logger created during a
    // later invocation must not claim it.
    if (!coldStart) this.getColdStart();
    this.addContext(context);
  }
}

let instance: Logger | undefined;
let invocations = 0;
let pending: { context: Context; coldStart: boolean } | undefined;

const instanceOf = () => {
  if (instance === undefined) {
    const created = new InvocationLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'closeloop' });
    if (pending !== undefined) created.addInvocationContext(pending.context, pending.coldStart);
    instance = created;
  }
  return instance;
};

/** Replaces the logger before any function logs: the local runtime prints one readable line per entry. */
export const useLogger = (replacement: Logger) => {
  instance = replacement;
};

/**
 * Gives the logger the invocation's Lambda context (request id, function name, cold start), as
 * Powertools' `injectLambdaContext` does; every handler calls it first. Costs nothing until a log line.
 */
export const addLambdaContext = (context: Context) => {
  invocations++;
  if (instance === undefined) pending = { context, coldStart: invocations === 1 };
  else instance.addContext(context);
};

/**
 * The one logger every function uses, set up on first use: a function whose request logs nothing
 * (a survey answered, a page shown) does not pay for it in its cold start. Events are never logged
 * whole: they carry e-mail addresses and comments (personal data).
 */
export const logger = {
  debug: (message: LogItemMessage, ...extra: LogItemExtraInput) => instanceOf().debug(message, ...extra),
  info: (message: LogItemMessage, ...extra: LogItemExtraInput) => instanceOf().info(message, ...extra),
  warn: (message: LogItemMessage, ...extra: LogItemExtraInput) => instanceOf().warn(message, ...extra),
  error: (message: LogItemMessage, ...extra: LogItemExtraInput) => instanceOf().error(message, ...extra),
};
