import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { followUpCountsOfItem } from '../domain/follow-up-outcomes';

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
});

export type AggregateRepository = ReturnType<typeof createAggregateRepository>;
