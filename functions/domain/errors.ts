/**
 * Typed errors of the domain. Each carries the HTTP status it maps to, so one middleware can turn
 * any of them into a response; anything else is an internal error whose message is never shown.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Stable, machine-readable code for API clients and logs. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = 'validation_failed';

  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not_found';
}

export class DuplicateEmailError extends DomainError {
  readonly status = 409;
  readonly code = 'duplicate_email';

  constructor(
    readonly email: string,
    readonly ownerCustomerId: string | undefined,
  ) {
    super(
      ownerCustomerId
        ? `e-mail ${email} already belongs to customer ${ownerCustomerId}`
        : `e-mail ${email} already belongs to another customer`,
    );
  }
}

export class SurveyExpiredError extends DomainError {
  readonly status = 410;
  readonly code = 'survey_expired';
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
}

/** A survey keeps a bounded number of answers; one more is refused (the latest kept one counts). */
export class AnswerLimitError extends DomainError {
  readonly status = 409;
  readonly code = 'answer_limit_reached';
}
