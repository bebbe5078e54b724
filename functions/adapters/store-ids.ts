import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The ids of every store (one paginated scan of the keys), for functions that need nothing else: a
 * module of its own, so that they do not bundle the store schema.
 */
export const listStoreIds = async (db: DynamoDBDocumentClient, tableName: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: tableName, ProjectionExpression: 'storeId', ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) ids.add(item.storeId as string);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return ids;
};
