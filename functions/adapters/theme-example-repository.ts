import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dequal } from 'dequal';
import { type ThemeExample, type ThemeExamples, withExample } from '../domain/drivers';
import type { Theme } from '../domain/theme-codes';

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

/**
 * The example comments per theme kept in the stores' month aggregates (a module of its own, so that the
 * functions that only read aggregates do not bundle the themes' lexicons).
 */
export const createThemeExampleRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
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

export type ThemeExampleRepository = ReturnType<typeof createThemeExampleRepository>;
