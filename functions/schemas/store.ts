import * as z from 'zod/mini';
import { identifier, isoTimestamp, optionalEmail, optionalLanguage, requiredName, timeZone } from './common';

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
};

/** A store as the business describes it in its stores CSV: someone must receive its alerts. */
export const StoreProfile = z.object(storeFields).check(
  z.refine((store) => store.managerEmail !== undefined || store.regionalManagerEmail !== undefined, {
    error: 'managerEmail: a store needs a manager or a regional manager e-mail to receive its alerts',
  }),
);
export type StoreProfile = z.infer<typeof StoreProfile>;

export const StoreRecord = z.object({
  ...storeFields,
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
export const storeCsvOptionalColumns = ['language'] as const;
