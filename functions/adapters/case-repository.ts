import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type PutCommandInput,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { aggregateKeysOf, periodsOf } from '../domain/aggregates';
import { type CaseOrder, type CasePosition, isBeyond } from '../domain/case-pages';
import { statusDueOf, type UpdateMailClaim } from '../domain/follow-up';
import {
  type CaseCountState,
  callDelta,
  closedDelta,
  escalatedDelta,
  type FollowUpDelta,
  openedDelta,
} from '../domain/follow-up-outcomes';
import type { WebhookEvent } from '../domain/webhooks';
import { casesTable, indexOf } from '../resources/tables';
import { type CaseCall, type CaseNote, CaseRecord, type CaseResolution } from '../schemas/case';
import { isStorableKey, transactWrite, updateIf } from './dynamodb';
import { outboxPutOf } from './webhook-outbox';

/** What a manager's write needs to know of the case: its key, and its due time (for the status index). */
export interface CaseKey {
  readonly caseId: string;
  readonly dueAt: string;
}

/**
 * What a counted write needs to know of the case as read: its key and due time, where and when it
 * was opened (the aggregates it counts in), and what its counts depend on (see `CaseCountState`).
 */
export interface CountedCase extends CaseKey, CaseCountState {
  readonly storeId: string;
  readonly openedAt: string;
}

/**
 * The condition that the case still stands as read in what its counts depend on: whether it has a
 * first contact, a first reach and an escalation. A concurrent write that changed one of them makes
 * the counted write fail, and it is tried again on the case as it now is.
 */
const standsAsRead = (state: CaseCountState) => {
  const presence = (attribute: 'firstContactAt' | 'firstReachedAt' | 'escalatedAt') =>
    state[attribute] === undefined ? `attribute_not_exists(${attribute})` : `attribute_exists(${attribute})`;
  return [presence('firstContactAt'), presence('firstReachedAt'), presence('escalatedAt')].join(' AND ');
};

/** The ADD of a follow-up delta to the store's and everyone's aggregates of the case's opening day and month. */
const aggregateAdds = (aggregatesTable: string, storeId: string, openedAt: string, delta: FollowUpDelta) => {
  const entries = Object.entries(delta);
  return aggregateKeysOf(storeId, periodsOf(openedAt)).map((Key) => ({
    Update: {
      TableName: aggregatesTable,
      Key,
      UpdateExpression: `ADD ${entries.map((_, index) => `#a${index} :d${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#a${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        entries.map(([, amount], index) => [`:d${index}`, amount]),
      ),
    },
  }));
};

/** How many times a counted write is tried on a case that changed meanwhile (a concurrent call). */
const COUNTED_WRITE_ATTEMPTS = 5;

/** What an erasure saw of a case's free text: how many notes and calls, which calls have a note, the resolution. */
export interface ErasableCaseParts {
  readonly notes: number;
  readonly calls: number;
  readonly callsWithNotes: readonly number[];
  readonly resolution: 'none' | 'without-note' | 'with-note';
}

/** Why a manager's write was not made: done before with the same key, or the case does not allow it. */
export type ManagerWriteRefusal = 'duplicate' | 'closed' | 'erased' | 'missing';

/** A manager may write on a case that exists, still holds its customer, and has not seen the request. */
const writableCase =
  'attribute_exists(caseId) AND attribute_not_exists(erasedAt) AND NOT contains(requestIds, :requestId)';

/** Why a case refused a manager's write, from the item as it was (`ALL_OLD`). */
const refusalOf = (item: Record<string, unknown> | undefined, requestId: string): ManagerWriteRefusal => {
  if (item === undefined) return 'missing';
  if ((item.requestIds as Set<string> | undefined)?.has(requestId)) return 'duplicate';
  if (item.erasedAt !== undefined) return 'erased';
  return 'closed';
};

/** The case's fields that its counts depend on, from an item as it was. */
const countStateOf = (item: Record<string, unknown>) => ({
  firstContactAt: item.firstContactAt as string | undefined,
  firstReachedAt: item.firstReachedAt as string | undefined,
  escalatedAt: item.escalatedAt as string | undefined,
});

type CaseWrite =
  | { Put: Omit<PutCommandInput, 'TableName'> }
  | { Update: Omit<UpdateCommandInput, 'TableName'> };

/**
 * Follow-up cases in DynamoDB. The writes that follow-up outcomes count (opening, a call, closing,
 * escalation) go in one transaction with their counts in the aggregates table, conditioned like the
 * write alone: a repeated write (same case, same `requestId`, escalated before) counts nothing.
 */
export const createCaseRepository = (
  db: DynamoDBDocumentClient,
  tableName: string,
  aggregatesTableName?: string,
  /** The webhook outbox, for the events written with a case's change (`closeCase`). */
  webhookEventsTableName?: string,
) => {
  const update = (input: Omit<UpdateCommandInput, 'TableName'>) =>
    updateIf(db, { TableName: tableName, ...input });
  /** A case write and its counts, at once: 'written', or the case item as it was when its condition refused. */
  const countedWrite = async (
    write: CaseWrite,
    counted: Pick<CountedCase, 'storeId' | 'openedAt'>,
    delta: FollowUpDelta,
    event?: WebhookEvent,
  ): Promise<'written' | { refusedBy: Record<string, unknown> | undefined }> => {
    if (aggregatesTableName === undefined)
      throw new Error(
        'this write counts follow-up outcomes: create the repository with the aggregates table',
      );
    const caseItem =
      'Put' in write
        ? {
            Put: {
              ...write.Put,
              TableName: tableName,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          }
        : {
            Update: {
              ...write.Update,
              TableName: tableName,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          };
    try {
      await transactWrite(db, {
        TransactItems: [
          caseItem as never,
          ...aggregateAdds(aggregatesTableName, counted.storeId, counted.openedAt, delta),
          ...(event !== undefined && webhookEventsTableName !== undefined
            ? [{ Put: outboxPutOf(webhookEventsTableName, event) }]
            : []),
        ],
      });
      return 'written';
    } catch (error) {
      const reason =
        error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (reason?.Code !== 'ConditionalCheckFailed') throw error;
      return { refusedBy: reason.Item === undefined ? undefined : unmarshall(reason.Item as never) };
    }
  };
  /**
   * A manager's counted write on an open or contacted case, tried again on the case as it now is
   * while a concurrent write changed what its counts depend on; a refusal otherwise.
   */
  const countedManagerWrite = async (
    read: CountedCase,
    requestId: string,
    writeFor: (state: CountedCase) => {
      update: Omit<UpdateCommandInput, 'TableName'>;
      delta: FollowUpDelta;
      event?: WebhookEvent;
    },
  ): Promise<{ written: CountedCase } | { outcome: ManagerWriteRefusal }> => {
    let state = read;
    for (let attempt = 1; attempt <= COUNTED_WRITE_ATTEMPTS; attempt++) {
      const { update: write, delta, event } = writeFor(state);
      const result = await countedWrite(
        {
          Update: {
            ...write,
            ConditionExpression: `${writableCase} AND #status IN (:open, :contacted) AND ${standsAsRead(state)}`,
          },
        },
        state,
        delta,
        event,
      );
      if (result === 'written') return { written: state };
      const item = result.refusedBy;
      const refusal = refusalOf(item, requestId);
      const stillWritable = item !== undefined && (item.status === 'open' || item.status === 'contacted');
      if (refusal !== 'closed' || !stillWritable) return { outcome: refusal };
      state = { ...state, ...countStateOf(item) };
    }
    throw new Error(`case ${read.caseId} kept changing while being written`);
  };
  const managerWrite = async <Done>(
    input: Omit<UpdateCommandInput, 'TableName'>,
    requestId: string,
    done: (old: Record<string, unknown> | undefined) => Done,
  ): Promise<Done | { outcome: ManagerWriteRefusal }> => {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({ TableName: tableName, ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...input }),
      );
      return done(Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { outcome: refusalOf(error.Item === undefined ? undefined : unmarshall(error.Item), requestId) };
    }
  };
  return {
    async get(caseId: string): Promise<CaseRecord | undefined> {
      if (!isStorableKey(caseId)) return undefined;
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { caseId }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : CaseRecord.parse(Item);
    },

    /** Opens a case unless it exists already, counting it opened; returns whether this call created it. */
    async open(caseRecord: CaseRecord): Promise<boolean> {
      const result = await countedWrite(
        { Put: { Item: caseRecord, ConditionExpression: 'attribute_not_exists(caseId)' } },
        caseRecord,
        openedDelta(),
      );
      return result === 'written';
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
     * Records a manager's call once per `requestId`: the first call sets `firstContactAt` (and the first
     * that reached the customer `firstReachedAt`), an open case becomes `contacted` and leaves the
     * escalation index. 'recorded' (with whether it was the first call), 'duplicate' when the key was
     * recorded before, 'closed', 'erased' or 'missing'.
     */
    async recordCall(
      read: CountedCase,
      call: CaseCall,
      requestId: string,
    ): Promise<{ outcome: 'recorded'; firstCall: boolean } | { outcome: ManagerWriteRefusal }> {
      const reached = call.outcome === 'reached';
      const result = await countedManagerWrite(read, requestId, (state) => ({
        update: {
          Key: { caseId: state.caseId },
          UpdateExpression:
            'SET calls = list_append(if_not_exists(calls, :none), :call), #status = :contacted' +
            ', statusDue = :statusDue, firstContactAt = if_not_exists(firstContactAt, :at), updatedAt = :at' +
            (reached ? ', firstReachedAt = if_not_exists(firstReachedAt, :at)' : '') +
            ' ADD requestIds :requestIds REMOVE escalationShard',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':none': [],
            ':call': [call],
            ':open': 'open',
            ':contacted': 'contacted',
            ':at': call.at,
            ':statusDue': statusDueOf('contacted', state.dueAt),
            ':requestIds': new Set([requestId]),
            ':requestId': requestId,
          },
        },
        delta: callDelta(state, call.outcome, call.at),
      }));
      return 'written' in result
        ? { outcome: 'recorded', firstCall: result.written.firstContactAt === undefined }
        : result;
    },

    /**
     * Closes a case once, with its resolution: it leaves the escalation index. 'recorded', or
     * 'duplicate' when this `requestId` closed it, 'closed' when it was closed before, 'erased', 'missing'.
     */
    /**
     * Closes the case, counted; with `eventOf`, its webhook event (of the case as written) goes into
     * the outbox in the same transaction, so a closed case never misses its `case.closed`.
     */
    async closeCase(
      read: CountedCase,
      resolution: CaseResolution,
      at: string,
      requestId: string,
      eventOf?: (state: CountedCase) => WebhookEvent,
    ): Promise<{ outcome: 'recorded' } | { outcome: ManagerWriteRefusal }> {
      const result = await countedManagerWrite(read, requestId, (state) => ({
        update: {
          Key: { caseId: state.caseId },
          UpdateExpression:
            'SET #status = :closed, statusDue = :statusDue, resolution = :resolution, closedAt = :at, updatedAt = :at' +
            ' ADD requestIds :requestIds REMOVE escalationShard',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':contacted': 'contacted',
            ':closed': 'closed',
            ':statusDue': statusDueOf('closed', state.dueAt),
            ':resolution': resolution,
            ':at': at,
            ':requestIds': new Set([requestId]),
            ':requestId': requestId,
          },
        },
        delta: closedDelta(state, resolution.kind),
        event: eventOf?.(state),
      }));
      return 'written' in result ? { outcome: 'recorded' } : result;
    },

    /** Adds a manager's note once per `requestId` (also on a closed case). */
    addNote: (caseId: string, note: CaseNote, requestId: string) =>
      managerWrite(
        {
          Key: { caseId },
          UpdateExpression:
            'SET notes = list_append(notes, :note), updatedAt = :at ADD requestIds :requestIds',
          ConditionExpression: writableCase,
          ExpressionAttributeValues: {
            ':note': [note],
            ':at': note.at,
            ':requestIds': new Set([requestId]),
            ':requestId': requestId,
          },
        },
        requestId,
        () => ({ outcome: 'recorded' as const }),
      ),

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

    /** Marks an open case escalated to `to`, once, counting it escalated; whether this call did. */
    markEscalated: async (
      caseId: string,
      to: string,
      at: string,
      counted: Pick<CountedCase, 'storeId' | 'openedAt'>,
    ) =>
      (await countedWrite(
        {
          Update: {
            Key: { caseId },
            UpdateExpression:
              'SET escalatedAt = :at, escalatedTo = :to, updatedAt = :at REMOVE escalationShard',
            ConditionExpression: '#status = :open AND attribute_not_exists(escalatedAt)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':to': to, ':open': 'open' },
          },
        },
        counted,
        escalatedDelta(),
      )) === 'written',

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

    /**
     * A store's cases of one status (every status when none is given) beyond `after` in `order`: at
     * least `limit + 1` of them, or all there are, and every case due at the same time as the last one
     * (see `mergePage`). Statuses come from the `byStoreStatus` index, every case from `byStore`.
     */
    async listBeyond(query: {
      storeId: string;
      status?: string;
      order: CaseOrder;
      after?: CasePosition;
      limit: number;
    }): Promise<CaseRecord[]> {
      const { storeId, status, order, after, limit } = query;
      const bound = after?.dueAt;
      const range =
        status === undefined
          ? bound === undefined
            ? undefined
            : { condition: `dueAt ${order === 'asc' ? '>=' : '<='} :bound`, values: { ':bound': bound } }
          : {
              condition: 'statusDue BETWEEN :low AND :high',
              values: {
                ':low': statusDueOf(status, order === 'asc' ? (bound ?? '') : ''),
                ':high': statusDueOf(status, order === 'desc' && bound !== undefined ? bound : '\uffff'),
              },
            };
      const found: CaseRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: indexOf(casesTable, status === undefined ? 'byStore' : 'byStoreStatus'),
            KeyConditionExpression: `storeId = :store${range ? ` AND ${range.condition}` : ''}`,
            ExpressionAttributeValues: { ':store': storeId, ...range?.values },
            ScanIndexForward: order === 'asc',
            Limit: limit + 1,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const caseRecord = CaseRecord.parse(item);
          if (isBeyond(caseRecord, after, order)) found.push(caseRecord);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && (found.length <= limit || found.at(-1)?.dueAt === found[limit]?.dueAt));
      return found;
    },

    /** A case's item exactly as stored, every attribute included (for a privacy export or erasure). */
    async readItem(caseId: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { caseId }, ConsistentRead: true }),
      );
      return Item;
    },

    /**
     * Erases the customer from a case: the customer id becomes `replacementId`, name, e-mail, phone and
     * attributes are emptied, the comment goes and the text of each note, of each call's note and of
     * the resolution's note becomes `noteText`. Status, score, reasons, owner, call outcomes and times
     * stay. Only while the case has exactly the notes, calls and resolution `seen`: false when one was
     * added meanwhile (read it again).
     */
    anonymise: (
      caseId: string,
      seen: ErasableCaseParts,
      replacementId: string,
      noteText: string,
      at: string,
    ) => {
      const erasesText = seen.notes > 0 || seen.callsWithNotes.length > 0 || seen.resolution === 'with-note';
      return update({
        Key: { caseId },
        UpdateExpression:
          'SET ' +
          [
            '#customerId = :replacement',
            '#customer.#name = :empty',
            '#customer.#email = :empty',
            '#customer.#attributes = :none',
            'erasedAt = if_not_exists(erasedAt, :at)',
            ...Array.from({ length: seen.notes }, (_, index) => `#notes[${index}].#text = :noteText`),
            ...seen.callsWithNotes.map((index) => `#calls[${index}].#note = :noteText`),
            ...(seen.resolution === 'with-note' ? ['#resolution.#note = :noteText'] : []),
          ].join(', ') +
          ' REMOVE #comment, #customer.#phone',
        ConditionExpression: [
          'attribute_exists(caseId) AND size(#notes) = :noteCount',
          seen.calls === 0
            ? '(attribute_not_exists(#calls) OR size(#calls) = :callCount)'
            : 'size(#calls) = :callCount',
          seen.resolution === 'none' ? 'attribute_not_exists(#resolution)' : 'attribute_exists(#resolution)',
        ].join(' AND '),
        ExpressionAttributeNames: {
          '#customerId': 'customerId',
          '#customer': 'customer',
          '#name': 'name',
          '#email': 'email',
          '#phone': 'phone',
          '#attributes': 'attributes',
          '#notes': 'notes',
          '#calls': 'calls',
          '#resolution': 'resolution',
          '#comment': 'comment',
          ...(seen.notes > 0 && { '#text': 'text' }),
          ...((seen.callsWithNotes.length > 0 || seen.resolution === 'with-note') && { '#note': 'note' }),
        },
        ExpressionAttributeValues: {
          ':replacement': replacementId,
          ':empty': '',
          ':none': {},
          ':at': at,
          ':noteCount': seen.notes,
          ':callCount': seen.calls,
          ...(erasesText && { ':noteText': noteText }),
        },
      });
    },
  };
};

export type CaseRepository = ReturnType<typeof createCaseRepository>;
