import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type ConsentedQuotes, quoteShards } from '../adapters/consented-quotes';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import {
  categoryForSegment,
  matchesSegment,
  neutraliseFormula,
  type SegmentFilter,
  type SegmentRow,
  segmentRowOf,
  segmentShards,
  testimonialColumns,
  testimonialFieldsOf,
} from '../domain/segments';
import type { StoredConsent } from '../schemas/consent';

export interface SegmentQuery extends SegmentFilter {
  /** Only customers whose latest answer came on or after this day (YYYY-MM-DD, UTC). */
  readonly from?: string;
  /** … and on or before this day. */
  readonly to?: string;
}

export interface ExportProgress {
  /** Index partitions read so far, of `partitions`. */
  readonly partitionsDone: number;
  readonly partitions: number;
  readonly rows: number;
}

export interface SegmentExportDeps {
  readonly customers: Pick<CustomerRepository, 'querySegment'>;
  /** For the testimonials segment: the consented quotes, and their customers. */
  readonly testimonials?: TestimonialExportDeps;
}

export interface TestimonialExportDeps {
  readonly consents: Pick<ConsentedQuotes, 'queryConsented'>;
  readonly customers: Pick<CustomerRepository, 'getMany'>;
}

const dayRange = (query: SegmentQuery) => ({
  ...(query.from && { from: `${query.from}T00:00:00.000Z` }),
  ...(query.to && { to: `${query.to}T23:59:59.999Z` }),
});

type ShardPage = {
  customers: readonly (Parameters<typeof segmentRowOf>[0] & { consent?: StoredConsent })[];
  nextKey?: Record<string, unknown>;
};

/** One page of consented quotes, each merged with its customer (the quote as the latest comment). */
const consentedPage = async (
  deps: TestimonialExportDeps,
  shard: string,
  range: { from?: string; to?: string },
  startKey?: Record<string, unknown>,
): Promise<ShardPage> => {
  const page = await deps.consents.queryConsented(shard, range, startKey);
  const customers = await deps.customers.getMany(page.quotes.map((quote) => quote.customerId));
  return {
    customers: page.quotes.flatMap(({ customerId, storeId, consent }) => {
      const customer = customers.get(customerId);
      return customer === undefined
        ? []
        : [
            {
              ...customer,
              storeId,
              latestScore: consent.score,
              latestScoreAt: consent.answeredAt,
              latestComment: consent.quote,
              latestReasons: [],
              consent,
            },
          ];
    }),
    nextKey: page.nextKey,
  };
};

/** The testimonials segment's source: the consented quotes (the sparse `consentedQuotes` index). */
const testimonialSource = (deps: { testimonials?: TestimonialExportDeps }) => {
  const testimonials = deps.testimonials;
  if (testimonials === undefined) throw new Error('the testimonials segment needs its consented quotes');
  return {
    shards: quoteShards(),
    page: (shard: string, range: { from?: string; to?: string }, startKey?: Record<string, unknown>) =>
      consentedPage(testimonials, shard, range, startKey),
  };
};

/**
 * The customers of a segment with their latest answer, page by page from the sparse `segments`
 * index: memory stays flat whatever the segment's size. Testimonials come from the consented quotes
 * instead, one per survey whose consent stands (given in [from, to]), with the quote consented to as
 * the comment, its signature and the consent's date and exact wording.
 */
export function segmentRows(
  deps: SegmentExportDeps,
  query: SegmentQuery,
  onProgress?: (progress: ExportProgress) => void,
): AsyncGenerator<SegmentRow> {
  return shardRows(
    query.segment === 'testimonials'
      ? testimonialSource(deps)
      : {
          shards: segmentShards(categoryForSegment(query.segment)),
          page: (shard, range, startKey) => deps.customers.querySegment(shard, range, startKey),
        },
    query,
    onProgress,
  );
}

/** The rows of a segment's source, shard by shard and page by page. */
async function* shardRows(
  source: {
    shards: readonly string[];
    page: (
      shard: string,
      range: { from?: string; to?: string },
      startKey?: Record<string, unknown>,
    ) => Promise<ShardPage>;
  },
  query: SegmentQuery,
  onProgress?: (progress: ExportProgress) => void,
): AsyncGenerator<SegmentRow> {
  const range = dayRange(query);
  const { shards } = source;
  let rows = 0;
  for (const [index, shard] of shards.entries()) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await source.page(shard, range, startKey);
      for (const customer of page.customers) {
        if (!matchesSegment(customer, query)) continue;
        rows++;
        yield customer.consent
          ? { ...segmentRowOf(customer), ...testimonialFieldsOf(customer.consent) }
          : segmentRowOf(customer);
      }
      startKey = page.nextKey;
      onProgress?.({ partitionsDone: index, partitions: shards.length, rows });
    } while (startKey !== undefined);
  }
  onProgress?.({ partitionsDone: shards.length, partitions: shards.length, rows });
}

export interface ResponseExportDeps {
  readonly surveys: Pick<SurveyRepository, 'scanAnswered'>;
  readonly customers: Pick<CustomerRepository, 'getMany'>;
  /** For the testimonials segment, whose consented quotes are one per survey already. */
  readonly testimonials?: TestimonialExportDeps;
}

/**
 * Every response in the segment, not only each customer's latest: a customer answering twice a year
 * appears twice. Reads answered surveys page by page (a filtered scan) and their customers in one
 * batch per page; an erased customer's anonymised answers are left out.
 */
export async function* responseRows(
  deps: ResponseExportDeps,
  query: SegmentQuery,
  onProgress?: (progress: ExportProgress) => void,
): AsyncGenerator<SegmentRow> {
  if (query.segment === 'testimonials') {
    yield* shardRows(testimonialSource(deps), query, onProgress);
    return;
  }
  const range = dayRange(query);
  let rows = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.surveys.scanAnswered(range, startKey);
    const customers = await deps.customers.getMany([
      ...new Set(page.surveys.map((survey) => survey.customerId)),
    ]);
    for (const survey of page.surveys) {
      const customer = customers.get(survey.customerId);
      if (customer === undefined) continue;
      const asAnswered = {
        ...customer,
        storeId: survey.storeId,
        latestScore: survey.answer.score,
        latestScoreAt: survey.answer.at,
        latestComment: survey.answer.comment,
        latestReasons: survey.answer.reasons,
      };
      if (!matchesSegment(asAnswered, query)) continue;
      rows++;
      yield segmentRowOf(asAnswered);
    }
    startKey = page.nextKey;
    onProgress?.({ partitionsDone: startKey === undefined ? 1 : 0, partitions: 1, rows });
  } while (startKey !== undefined);
}

export type ExportFormat = 'csv' | 'jsonl';

export interface FileOptions {
  readonly format: ExportFormat;
  /** Start a CSV with a UTF-8 byte order mark, so Excel reads accents and emoji correctly. */
  readonly bom?: boolean;
  /** Customer attributes to give their own CSV column (the others are in `attributes`). */
  readonly attributeColumns?: readonly string[];
  /** Testimonials add their signature and consent columns. */
  readonly segment?: string;
}

const baseColumns = [
  'customerId',
  'email',
  'firstName',
  'lastName',
  'storeId',
  'locale',
  'segment',
  'score',
  'answeredAt',
  'comment',
  'reasons',
  'contactStatus',
  'mayEmail',
] as const;

const csvRecord = (row: SegmentRow, attributeColumns: readonly string[], extraColumns: readonly string[]) => {
  const text = (value: string) => neutraliseFormula(value);
  return [
    ...baseColumns.map((column) => {
      const value = row[column];
      return typeof value === 'string' ? text(value) : String(value);
    }),
    ...attributeColumns.map((name) => text(row.attributes[name] ?? '')),
    text(
      Object.entries(row.attributes)
        .filter(([name]) => !attributeColumns.includes(name))
        .map(([name, value]) => `${name}=${value}`)
        .join('; '),
    ),
    ...extraColumns.map((column) => text(String(row[column as keyof SegmentRow] ?? ''))),
  ];
};

/**
 * Writes rows as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line
 * break; formulas neutralised; optional BOM) or JSON Lines, streaming. Returns the rows written.
 */
export const writeSegmentFile = async (
  rows: AsyncIterable<SegmentRow>,
  sink: Writable,
  options: FileOptions,
): Promise<number> => {
  let written = 0;
  const counted = async function* () {
    for await (const row of rows) {
      written++;
      yield row;
    }
  };
  if (options.format === 'jsonl') {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const row of counted()) yield `${JSON.stringify(row)}\n`;
        })(),
      ),
      sink,
    );
    return written;
  }
  const attributeColumns = options.attributeColumns ?? [];
  const extraColumns = options.segment === 'testimonials' ? testimonialColumns : [];
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const row of counted()) yield csvRecord(row, attributeColumns, extraColumns);
      })(),
    ),
    stringify({
      header: true,
      columns: [
        ...baseColumns,
        ...attributeColumns.map((name) => `attribute:${name}`),
        'attributes',
        ...extraColumns,
      ],
      bom: options.bom ?? false,
      record_delimiter: 'windows',
      // With CRLF records csv-stringify quotes only fields holding the whole CRLF: a lone CR or LF in a
      // comment must be quoted too, or a spreadsheet splits the row there.
      quoted_match: /[\r\n]/,
    }),
    sink,
  );
  return written;
};
