import * as z from 'zod/mini';
import {
  identifier,
  isoTimestamp,
  optionalEmail,
  optionalLanguage,
  optionalText,
  requiredName,
  timeZone,
} from './common';

/**
 * A yearly target: a whole number from 0 to 100000, kept as its digits (a CSV cell; `Number` where it
 * is used); empty means none. Text rather than a coerced number keeps every bundle reading stores small.
 */
const optionalTarget = () =>
  z.optional(z.string().check(z.regex(/^(100000|\d{0,5})$/, 'must be a whole number from 0 to 100000')));

const storeFields = {
  storeId: identifier(),
  name: requiredName(200),
  /** Receives the store's detractor alerts; when absent, the regional manager does. */
  managerEmail: optionalEmail(),
  /** Receives escalations of overdue follow-ups; optional. */
  regionalManagerEmail: optionalEmail(),
  /** IANA zone used for local send windows, digests and reports. */
  timezone: timeZone(),
  /** The language of the managers' e-mails and page (`en`, `fr`, `es`); English when absent. */
  language: optionalLanguage(),
  /**
   * When the store's customers may be mailed (`Mon-Fri 09:00-18:00`); the chain's `SEND_WINDOW` when
   * absent. The import checks that it reads (`parseSendWindow`: kept out of this schema, which the
   * sender's bundle carries).
   */
  sendWindow: optionalText(64),
  /** Consented testimonials the store aims for per calendar year; the chain's default when absent. */
  testimonialTarget: optionalTarget(),
};

/** A store as the business describes it in its stores CSV: someone must receive its alerts. */
export const StoreProfile = z.object(storeFields).check(
  z.refine((store) => store.managerEmail !== undefined || store.regionalManagerEmail !== undefined, {
    error: 'managerEmail: a store needs a manager or a regional manager e-mail to receive its alerts',
  }),
);
export type StoreProfile = z.infer<typeof StoreProfile>;

/** A store role bound to a staff account (its immutable `sub`), and the address it was bound for. */
export const AccountBinding = z.object({ sub: z.string().check(z.minLength(1)), email: z.string() });
export type AccountBinding = z.infer<typeof AccountBinding>;

/** The store roles staff accounts are bound to (`closeloop staff sync`). */
export const storeRoles = ['manager', 'regionalManager'] as const;
export type StoreRole = (typeof storeRoles)[number];

export const StoreRecord = z.object({
  ...storeFields,
  /**
   * The accounts that may see the store's cases and figures, written by `closeloop staff sync`; an
   * import that changes a role's address clears its binding (and a binding for another address than
   * the role's grants nothing, see `boundAccountOf`).
   */
  managerAccount: z.optional(AccountBinding),
  regionalManagerAccount: z.optional(AccountBinding),
  createdAt: isoTimestamp(),
  updatedAt: isoTimestamp(),
});
export type StoreRecord = z.infer<typeof StoreRecord>;

export const storeCsvColumns = [
  'storeId',
  'name',
  'managerEmail',
  'regionalManagerEmail',
  'timezone',
] as const;

/** Columns a stores CSV may have; absent, the field is unset. */
export const storeCsvOptionalColumns = ['language', 'sendWindow', 'testimonialTarget'] as const;
