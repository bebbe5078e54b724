import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger every function uses. Events are never logged whole: they carry e-mail addresses
 * and comments (personal data).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'closeloop' });
