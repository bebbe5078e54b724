/** Marketing segments: who is in which, and how an export row looks. Pure functions. */
import { categoryOf, isTestimonialCandidate, type NpsCategory } from './nps';
import { DUE_SHARDS, dueShardOf } from './schedule';

export const segmentNames = ['promoters', 'passives', 'detractors', 'testimonials'] as const;
export type SegmentName = (typeof segmentNames)[number];

const categoryOfSegment: Record<Exclude<SegmentName, 'testimonials'>, NpsCategory> = {
  promoters: 'promoter',
  passives: 'passive',
  detractors: 'detractor',
};

/** The category whose index partitions hold a segment (testimonial candidates are promoters). */
export const categoryForSegment = (segment: SegmentName): NpsCategory =>
  segment === 'testimonials' ? 'promoter' : categoryOfSegment[segment];

/** Where a customer's latest answer puts them in the sparse `segments` index: `promoter#7`. */
export const segmentShardOf = (customerId: string, score: number) =>
  `${categoryOf(score)}#${dueShardOf(customerId)}`;

/** Every index partition of a category, in a fixed order. */
export const segmentShards = (category: NpsCategory) =>
  Array.from({ length: DUE_SHARDS }, (_, shard) => `${category}#${shard}`);

/** One exported customer: their latest answer, and whether marketing may e-mail them. */
export interface SegmentRow {
  readonly customerId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly storeId: string;
  readonly locale: string;
  readonly segment: NpsCategory;
  readonly score: number;
  readonly answeredAt: string;
  readonly comment: string;
  readonly reasons: string;
  readonly contactStatus: string;
  /** False for anyone unsubscribed, bounced or complained: marketing must not e-mail them. */
  readonly mayEmail: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  /** Testimonials only: the consented quote's signature and consent (the `comment` is the quote). */
  readonly signatureChoice?: string;
  readonly signature?: string;
  readonly consentedAt?: string;
  readonly consentLanguage?: string;
  readonly consentWordingVersion?: string;
  readonly consentWording?: string;
}

/** The columns a testimonials export adds: how to sign each quote, and the consent it stands on. */
export const testimonialColumns = [
  'signature',
  'signatureChoice',
  'consentedAt',
  'consentLanguage',
  'consentWordingVersion',
  'consentWording',
] as const;

/** A consent as a testimonials export row shows it. */
export const testimonialFieldsOf = (consent: {
  readonly signature: string;
  readonly signatureText: string;
  readonly givenAt: string;
  readonly wording: { readonly version: string; readonly language: string; readonly text: string };
}) => ({
  signature: consent.signatureText,
  signatureChoice: consent.signature,
  consentedAt: consent.givenAt,
  consentLanguage: consent.wording.language,
  consentWordingVersion: consent.wording.version,
  consentWording: consent.wording.text,
});

export interface SegmentFilter {
  readonly segment: SegmentName;
  readonly storeIds?: ReadonlySet<string>;
  readonly locales?: ReadonlySet<string>;
  /** Customer attributes that must match exactly (`tier=gold`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

interface CustomerWithLatest {
  readonly customerId: string;
  readonly email: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly storeId: string;
  readonly locale: string;
  readonly contactStatus: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly latestScore?: number;
  readonly latestScoreAt?: string;
  readonly latestComment?: string;
  readonly latestReasons?: readonly string[];
}

/** Whether a customer's latest answer belongs in the export asked for. */
export const matchesSegment = (customer: CustomerWithLatest, filter: SegmentFilter) => {
  if (customer.latestScore === undefined) return false;
  if (categoryOf(customer.latestScore) !== categoryForSegment(filter.segment)) return false;
  if (
    filter.segment === 'testimonials' &&
    !isTestimonialCandidate({ score: customer.latestScore, comment: customer.latestComment })
  )
    return false;
  if (filter.storeIds && !filter.storeIds.has(customer.storeId)) return false;
  if (
    filter.locales &&
    !filter.locales.has(customer.locale) &&
    !filter.locales.has(customer.locale.split('-')[0] ?? '')
  )
    return false;
  return Object.entries(filter.attributes ?? {}).every(
    ([name, value]) => customer.attributes[name] === value,
  );
};

export const segmentRowOf = (customer: CustomerWithLatest): SegmentRow => {
  const score = customer.latestScore ?? 0;
  return {
    customerId: customer.customerId,
    email: customer.email,
    firstName: customer.firstName ?? '',
    lastName: customer.lastName ?? '',
    storeId: customer.storeId,
    locale: customer.locale,
    segment: categoryOf(score),
    score,
    answeredAt: customer.latestScoreAt ?? '',
    comment: customer.latestComment ?? '',
    reasons: (customer.latestReasons ?? []).join(' '),
    contactStatus: customer.contactStatus,
    mayEmail: customer.contactStatus === 'subscribed',
    attributes: customer.attributes,
  };
};

/**
 * Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return
 * before one) as a formula: `=HYPERLINK(...)` in a comment would become a live link. OWASP's advice:
 * prefix such a cell with a single quote, which shows the text as typed.
 */
export const neutraliseFormula = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
