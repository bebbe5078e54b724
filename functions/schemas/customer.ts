import * as z from 'zod/mini';
import {
  email,
  identifier,
  isoTimestamp,
  locale,
  optionalName,
  optionalPhone,
  optionalTimeZone,
} from './common';

/**
 * Whether a customer may be mailed. Only `subscribed` customers are; the others are set by the
 * customer (unsubscribe) or by SES feedback (bounce, complaint) and never undone by an import.
 */
export const ContactStatus = z.enum(['subscribed', 'unsubscribed', 'bounced', 'complained']);
export type ContactStatus = z.infer<typeof ContactStatus>;

/** One survey sent to the customer, and the answer if any. */
export const SurveyHistoryEntry = z.object({
  surveyId: z.string(),
  sentAt: isoTimestamp(),
  score: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10))),
  respondedAt: z.optional(isoTimestamp()),
});
export type SurveyHistoryEntry = z.infer<typeof SurveyHistoryEntry>;

/** The part of a customer that the business's CRM owns and an import sets. */
export const CustomerProfile = z.object({
  customerId: identifier(),
  email: email(),
  firstName: optionalName(100),
  lastName: optionalName(100),
  storeId: identifier(),
  locale: locale(),
  /** For the store manager's call after a low score (`looksLikePhoneNumber`); optional. */
  phone: optionalPhone(),
  /** IANA zone the customer is mailed in (send windows); the store's when absent. */
  timezone: optionalTimeZone(),
  /** Extra CSV columns, kept for segmentation (e.g. `tier`, `city`). */
  attributes: z.record(z.string(), z.string()),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** A customer as stored in the customers table. */
export const CustomerRecord = z.object({
  ...CustomerProfile.shape,
  contactStatus: ContactStatus,
  contactStatusChangedAt: z.optional(isoTimestamp()),
  surveyHistory: z.array(SurveyHistoryEntry),
  /** When the next relationship survey is due; with `dueShard`, places the customer in the due index. */
  nextSurveyAt: z.optional(isoTimestamp()),
  /** Present only while the customer may be surveyed (subscribed): keeps the due index sparse. */
  dueShard: z.optional(z.string()),
  lastSurveyedAt: z.optional(isoTimestamp()),
  /** The scheduler cycle of the last survey sent, so a redelivered task is recognised. */
  lastCycleAt: z.optional(isoTimestamp()),
  latestScore: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10))),
  latestScoreAt: z.optional(isoTimestamp()),
  /** The latest answer's survey, comment and reasons (for segment exports). */
  latestSurveyId: z.optional(z.string()),
  latestComment: z.optional(z.string()),
  latestReasons: z.optional(z.array(z.string())),
  /** With `latestScoreAt`, places an answering customer in the sparse `segments` index (`promoter#7`). */
  segmentShard: z.optional(z.string()),
  createdAt: isoTimestamp(),
  updatedAt: isoTimestamp(),
  /** The bulk import row that last created or changed the customer (`job#line#outcome`). */
  importMark: z.optional(z.string()),
});
export type CustomerRecord = z.infer<typeof CustomerRecord>;

/** Columns every customers CSV must have; any other column is kept as an attribute. */
export const customerCsvColumns = [
  'customerId',
  'email',
  'firstName',
  'lastName',
  'storeId',
  'locale',
] as const;

/** Columns a customers CSV may have; absent, the field is unset (and any other column is an attribute). */
export const customerCsvOptionalColumns = ['phone', 'timezone'] as const;
