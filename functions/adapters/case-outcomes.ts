import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseAtNextSurvey } from '../domain/win-back';

/**
 * Reads what the win-back needs of a case (its store, status and first reach) and nothing else, so the
 * invitation sender does not bundle the case repository.
 */
export const createCaseOutcomeReader = (db: DynamoDBDocumentClient, TableName: string) => ({
  caseAtNextSurvey: async (caseId: string) =>
    (
      await db.send(
        new GetCommand({
          TableName,
          Key: { caseId },
          ProjectionExpression: 'storeId, #status, firstReachedAt',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      )
    ).Item as (CaseAtNextSurvey & { storeId: string }) | undefined,
});

export type CaseOutcomeReader = ReturnType<typeof createCaseOutcomeReader>;
