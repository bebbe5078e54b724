import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';

let instance: Logger | undefined;
const instanceOf = () => {
  instance ??= new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'closeloop' });
  return instance;
};

/** Replaces the logger before any function logs: the local runtime prints one readable line per entry. */
export const useLogger = (replacement: Logger) => {
  instance = replacement;
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
