import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseAtNextSurvey } from '../domain/win-back';

/**
 * Reads what the win-back needs of a case (its store, status and first reach) and nothing else, so the
 * invitation sender does not bundle the case repository.
 */
export const createCaseOutcomeReader = (db: DynamoDBDocumentClient, tableName: string) => ({
  async caseAtNextSurvey(caseId: string): Promise<(CaseAtNextSurvey & { storeId: string }) | undefined> {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { caseId },
        ConsistentRead: true,
        ProjectionExpression: 'storeId, #status, firstReachedAt',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    if (Item === undefined) return undefined;
    return {
      storeId: String(Item.storeId),
      status: String(Item.status),
      ...(typeof Item.firstReachedAt === 'string' && { firstReachedAt: Item.firstReachedAt }),
    };
  },
});

export type CaseOutcomeReader = ReturnType<typeof createCaseOutcomeReader>;
