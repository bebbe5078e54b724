import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { UpdateMailClaim } from '../domain/follow-up';
import { casesTable, indexOf } from '../resources/tables';
import { type CaseNote, CaseRecord } from '../schemas/case';
import { isStorableKey, updateIf } from './dynamodb';

/** Follow-up cases in DynamoDB. */
export const createCaseRepository = (db: DynamoDBDocumentClient, tableName: string) => {
  const update = (input: Omit<UpdateCommandInput, 'TableName'>) =>
    updateIf(db, { TableName: tableName, ...input });
  return {
    async get(caseId: string): Promise<CaseRecord | undefined> {
      if (!isStorableKey(caseId)) return undefined;
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { caseId }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : CaseRecord.parse(Item);
    },

    /** Opens a case unless it exists already; returns whether this call created it. */
    async open(caseRecord: CaseRecord): Promise<boolean> {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: caseRecord,
            ConditionExpression: 'attribute_not_exists(caseId)',
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    markAlerted: (caseId: string, at: string) =>
      update({
        Key: { caseId },
        UpdateExpression: 'SET alertedAt = if_not_exists(alertedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
      }),

    /**
     * Records a change of the customer's answer on the case once per `noteKey`: the latest score,
     * comment and reasons, and a note. 'added', 'duplicate' when the key was recorded before (a
     * redelivered task), or 'missing' when the case does not exist (yet).
     */
    async recordAnswerChange(
      caseId: string,
      change: { score: number; comment?: string; reasons: readonly string[] },
      note: CaseNote,
      noteKey: string,
    ): Promise<'added' | 'duplicate' | 'missing'> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { caseId },
            UpdateExpression:
              'SET score = :score, reasons = :reasons, notes = list_append(notes, :note), updatedAt = :at' +
              ', changeScores = list_append(if_not_exists(changeScores, :noScores), :changeScore)' +
              (change.comment === undefined ? '' : ', #comment = :comment') +
              ' ADD noteKeys :key',
            ConditionExpression:
              'attribute_exists(caseId) AND attribute_not_exists(erasedAt) AND NOT contains(noteKeys, :keyValue)',
            ...(change.comment !== undefined && { ExpressionAttributeNames: { '#comment': 'comment' } }),
            ExpressionAttributeValues: {
              ':score': change.score,
              ':reasons': [...change.reasons],
              ':note': [note],
              ':noScores': [],
              ':changeScore': [change.score],
              ':at': note.at,
              ':key': new Set([noteKey]),
              ':keyValue': noteKey,
              ...(change.comment !== undefined && { ':comment': change.comment }),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'added';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return error.Item === undefined ? 'missing' : 'duplicate';
      }
    },

    /**
     * Claims the next update e-mail of a case (`mail`), if the last one claimed is still number
     * `expectedSeq` (0: none yet): false when another consumer claimed one first. Clears the due time of
     * a coalesced e-mail waiting for the interval, which this one covers.
     */
    claimUpdateMail: (caseId: string, expectedSeq: number, mail: UpdateMailClaim) =>
      update({
        Key: { caseId },
        UpdateExpression: 'SET updateMail = :mail REMOVE updateMailDueAt',
        ConditionExpression:
          (expectedSeq === 0 ? 'attribute_not_exists(updateMail)' : 'updateMail.seq = :expected') +
          ' AND size(changeScores) >= :to',
        ExpressionAttributeValues: {
          ':mail': { ...mail },
          ':to': mail.to,
          ...(expectedSeq !== 0 && { ':expected': expectedSeq }),
        },
      }),

    /** Records that update e-mail number `seq` went (never going back to an earlier number). */
    markUpdateMailSent: (caseId: string, seq: number) =>
      update({
        Key: { caseId },
        UpdateExpression: 'SET updateMailsSent = :seq',
        ConditionExpression:
          'attribute_exists(caseId) AND (attribute_not_exists(updateMailsSent) OR updateMailsSent < :seq)',
        ExpressionAttributeValues: { ':seq': seq },
      }),

    /** Records that a delayed task carries the coalesced update e-mail due at `dueAt`. */
    markUpdateMailScheduled: (caseId: string, dueAt: string) =>
      update({
        Key: { caseId },
        UpdateExpression: 'SET updateMailDueAt = :due',
        ConditionExpression: 'attribute_exists(caseId)',
        ExpressionAttributeValues: { ':due': dueAt },
      }),

    /**
     * Applies a manager's update if the case is still in `expectedStatus`: new status (a case that
     * leaves `open` leaves the escalation index) and a note. False when someone changed it first.
     */
    applyUpdate: (
      caseId: string,
      expectedStatus: string,
      status: string,
      note: CaseNote | undefined,
      at: string,
    ) =>
      update({
        Key: { caseId },
        UpdateExpression:
          `SET #status = :status, updatedAt = :at${note ? ', notes = list_append(notes, :note)' : ''}` +
          (status === 'open' ? '' : ' REMOVE escalationShard'),
        ConditionExpression: '#status = :expected AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': at,
          ':expected': expectedStatus,
          ...(note && { ':note': [note] }),
        },
      }),

    /** One page of cases due by `until` that are still waiting for escalation, from one shard. */
    async queryToEscalate(shard: string, until: string, limit: number, startKey?: Record<string, unknown>) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexOf(casesTable, 'casesToEscalate'),
          KeyConditionExpression: 'escalationShard = :shard AND dueAt <= :until',
          ExpressionAttributeValues: { ':shard': shard, ':until': until },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        due: (page.Items ?? []).map((item) => ({ caseId: item.caseId as string })),
        nextKey: page.LastEvaluatedKey,
      };
    },

    /** Takes a case out of the escalation index once its escalation task is queued. */
    takeEscalation: (caseId: string) =>
      update({
        Key: { caseId },
        UpdateExpression: 'REMOVE escalationShard',
        ConditionExpression: 'attribute_exists(escalationShard)',
      }),

    /** Marks an open case escalated to `to`, once. */
    markEscalated: (caseId: string, to: string, at: string) =>
      update({
        Key: { caseId },
        UpdateExpression: 'SET escalatedAt = :at, escalatedTo = :to, updatedAt = :at REMOVE escalationShard',
        ConditionExpression: '#status = :open AND attribute_not_exists(escalatedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': at, ':to': to, ':open': 'open' },
      }),

    /** The status and due time of every case of a store (the dashboard's follow-up counts). */
    async statuses(storeId: string): Promise<{ status: string; dueAt: string }[]> {
      const items: { status: string; dueAt: string }[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: indexOf(casesTable, 'byStore'),
            KeyConditionExpression: 'storeId = :store',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':store': storeId },
            ProjectionExpression: '#status, dueAt',
            ExclusiveStartKey,
          }),
        );
        items.push(...((page.Items ?? []) as { status: string; dueAt: string }[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },

    /** A store's cases, by due time; every case when no store is given (the table stays small). */
    async list(storeId?: string): Promise<CaseRecord[]> {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          storeId === undefined
            ? new ScanCommand({ TableName: tableName, ExclusiveStartKey })
            : new QueryCommand({
                TableName: tableName,
                IndexName: indexOf(casesTable, 'byStore'),
                KeyConditionExpression: 'storeId = :store',
                ExpressionAttributeValues: { ':store': storeId },
                ExclusiveStartKey,
              }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items.map((item) => CaseRecord.parse(item)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },

    /** A case's item exactly as stored, every attribute included (for a privacy export or erasure). */
    async readItem(caseId: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { caseId }, ConsistentRead: true }),
      );
      return Item;
    },

    /**
     * Erases the customer from a case: the customer id becomes `replacementId`, name, e-mail and
     * attributes are emptied, the comment goes and the text of each of the `noteCount` notes becomes
     * `noteText`. Status, score, reasons, owner and times stay. Only while the case has exactly
     * `noteCount` notes: false when one was added meanwhile (read it again).
     */
    anonymise: (caseId: string, noteCount: number, replacementId: string, noteText: string, at: string) =>
      update({
        Key: { caseId },
        UpdateExpression:
          'SET ' +
          [
            '#customerId = :replacement',
            '#customer.#name = :empty',
            '#customer.#email = :empty',
            '#customer.#attributes = :none',
            'erasedAt = if_not_exists(erasedAt, :at)',
            ...Array.from({ length: noteCount }, (_, index) => `#notes[${index}].#text = :noteText`),
          ].join(', ') +
          ' REMOVE #comment',
        ConditionExpression: 'attribute_exists(caseId) AND size(#notes) = :noteCount',
        ExpressionAttributeNames: {
          '#customerId': 'customerId',
          '#customer': 'customer',
          '#name': 'name',
          '#email': 'email',
          '#attributes': 'attributes',
          '#notes': 'notes',
          '#comment': 'comment',
          ...(noteCount > 0 && { '#text': 'text' }),
        },
        ExpressionAttributeValues: {
          ':replacement': replacementId,
          ':empty': '',
          ':none': {},
          ':at': at,
          ':noteCount': noteCount,
          ...(noteCount > 0 && { ':noteText': noteText }),
        },
      }),
  };
};

export type CaseRepository = ReturnType<typeof createCaseRepository>;
