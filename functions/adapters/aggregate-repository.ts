import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dequal } from 'dequal';
import { type ThemeExample, type ThemeExamples, withExample } from '../domain/drivers';
import { followUpCountsOfItem } from '../domain/follow-up-outcomes';
import type { Theme } from '../domain/themes';

/** The aggregate attribute that holds a store's example comments per theme (month items only). */
export const THEME_EXAMPLES = 'themeExamples';
/** Counts the writes of `themeExamples`, so that two writers never lose each other's example. */
const EXAMPLES_VERSION = 'themeExamplesVersion';

/**
 * Makes `example` the survey's example comment for `themes` in the store's month aggregate (none:
 * the survey's example leaves every theme), each theme keeping its latest few (see `withExample`).
 * Read, then write on condition that nobody wrote in between; again on a conflict. Safe to repeat.
 */
const recordThemeExample = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  month: string,
  surveyId: string,
  example: ThemeExample | undefined,
  themes: readonly Theme[],
): Promise<void> => {
  const Key = { scope: `store#${storeId}`, period: month };
  for (let attempt = 0; ; attempt++) {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key,
        ConsistentRead: true,
        ProjectionExpression: '#examples, #version',
        ExpressionAttributeNames: { '#examples': THEME_EXAMPLES, '#version': EXAMPLES_VERSION },
      }),
    );
    const current = (Item?.[THEME_EXAMPLES] ?? {}) as ThemeExamples;
    const next = withExample(current, surveyId, example, themes);
    if (dequal(current, next)) return;
    const version = Item?.[EXAMPLES_VERSION] as number | undefined;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'SET #examples = :examples ADD #version :one',
          ConditionExpression:
            version === undefined ? 'attribute_not_exists(#version)' : '#version = :version',
          ExpressionAttributeNames: { '#examples': THEME_EXAMPLES, '#version': EXAMPLES_VERSION },
          ExpressionAttributeValues: {
            ':examples': next,
            ':one': 1,
            ...(version !== undefined && { ':version': version }),
          },
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt >= 20) throw error;
    }
  }
};

/** Reads of the exact NPS aggregates (written by counting and by the sender). */
export const createAggregateRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  /** The aggregate items of one scope whose period key lies in [from, to] (`day#…` or `month#…`). */
  async query(scope: string, from: string, to: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#scope = :scope AND #period BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#scope': 'scope', '#period': 'period' },
          ExpressionAttributeValues: { ':scope': scope, ':from': from, ':to': to },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  },

  /** The counts of one aggregate (zeros when nothing was counted there). */
  async readAggregate(scope: string, period: string) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { scope, period } }));
    const count = (name: string) => Number(Item?.[name] ?? 0);
    return { promoters: count('promoters'), passives: count('passives'), detractors: count('detractors') };
  },

  /** The follow-up counts of one aggregate (zeros when nothing was counted there). */
  async readFollowUp(scope: string, period: string) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { scope, period } }));
    return followUpCountsOfItem(Item ?? {});
  },

  /** See `recordThemeExample`. */
  recordThemeExample: (
    storeId: string,
    month: string,
    surveyId: string,
    example: ThemeExample | undefined,
    themes: readonly Theme[],
  ) => recordThemeExample(db, tableName, storeId, month, surveyId, example, themes),

  /** Removes a survey's example comments (an erased customer's) from the store's month aggregate. */
  async forgetThemeExample(storeId: string, month: string, surveyId: string): Promise<void> {
    await recordThemeExample(db, tableName, storeId, month, surveyId, undefined, []);
  },
});

export type AggregateRepository = ReturnType<typeof createAggregateRepository>;
