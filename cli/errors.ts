/** A problem with how the command was called or with its input file; printed without a stack trace. */
export class UsageError extends Error {}
