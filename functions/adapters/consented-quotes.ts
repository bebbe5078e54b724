import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { indexOf, surveysTable } from '../resources/tables';
import type { StoredConsent } from '../schemas/consent';

/** One consented quote as the `consentedQuotes` index holds it (its projection). */
export interface ConsentedQuote {
  readonly surveyId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly locale: string;
  readonly consent: StoredConsent;
}

/** The shards of the sparse `consentedQuotes` index (`dueShardOf(surveyId)`: 16), in a fixed order. */
export const quoteShards = () => Array.from({ length: 16 }, (_, shard) => String(shard));

/**
 * Reads of the quotes whose consent stands (the sparse `consentedQuotes` index of Surveys), for the
 * testimonials export. Apart from the consent writes, so the exporter's bundle carries no schema.
 */
export const createConsentedQuotes = (db: DynamoDBDocumentClient, surveysTableName: string) => ({
  /** One page of consented quotes from one shard, consent given in [from, to]. */
  async queryConsented(
    shard: string,
    range: { from?: string; to?: string },
    startKey?: Record<string, unknown>,
  ): Promise<{ quotes: ConsentedQuote[]; nextKey?: Record<string, unknown> }> {
    const page = await db.send(
      new QueryCommand({
        TableName: surveysTableName,
        IndexName: indexOf(surveysTable, 'consentedQuotes'),
        KeyConditionExpression: 'quoteShard = :shard AND consentedAt BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':shard': shard,
          ':from': range.from ?? '0000',
          ':to': range.to ?? '9999',
        },
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      // Written only through `StoredConsent` (consent-repository): read as stored.
      quotes: (page.Items ?? []) as ConsentedQuote[],
      nextKey: page.LastEvaluatedKey,
    };
  },
});

export type ConsentedQuotes = ReturnType<typeof createConsentedQuotes>;
