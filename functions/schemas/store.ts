import * as z from 'zod/mini';
import { email, identifier, isoTimestamp, optionalEmail, requiredText, timeZone } from './common';

/** A store as the business describes it in its stores CSV. */
export const StoreProfile = z.object({
  storeId: identifier(),
  name: requiredText(200),
  /** Receives the store's detractor alerts. */
  managerEmail: email(),
  /** Receives escalations of overdue follow-ups; optional. */
  regionalManagerEmail: optionalEmail(),
  /** IANA zone used for local send windows, digests and reports. */
  timezone: timeZone(),
});
export type StoreProfile = z.infer<typeof StoreProfile>;

export const StoreRecord = z.object({
  ...StoreProfile.shape,
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
