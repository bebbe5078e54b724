import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { persistently } from './dynamodb';

/** Completed side effects are remembered this long: longer than a task can live in SQS and its DLQ. */
const rememberSeconds = 40 * 86_400;

/**
 * Powertools' DynamoDB persistence, with the two writes that close a side effect tried for longer
 * than the SDK does (seconds of throttling): recording its result once it happened, and removing the
 * record when it failed. Had either failed, the record would stay in progress until it expired, and
 * the retry after that would run the side effect again: a second e-mail, as SES has no idempotency
 * key. Both writes are unconditional, so repeating them is safe.
 */
class PersistentDynamoDBPersistenceLayer extends DynamoDBPersistenceLayer {
  protected override _updateRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(() => super._updateRecord(record));
  }

  protected override _deleteRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(() => super._deleteRecord(record));
  }
}

/**
 * Runs a side effect at most once per key, with Powertools idempotency on DynamoDB: a repeated call
 * returns the first call's result without running it again; a call while another runs fails (the
 * task is retried later); a call that throws leaves no trace, so its retry runs for real.
 */
export const createOnce = (client: DynamoDBClient, tableName: string) => {
  const config = new IdempotencyConfig({ expiresAfterSeconds: rememberSeconds });
  const persistenceStore = new PersistentDynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  const run = makeIdempotent(async (_key: string, work: () => Promise<Record<string, unknown>>) => work(), {
    persistenceStore,
    config,
    dataIndexArgument: 0,
  });
  return {
    once: <Result extends Record<string, unknown>>(key: string, work: () => Promise<Result>) =>
      run(key, work) as Promise<Result>,
    /** Lets an in-progress record expire with the invocation, so a crashed attempt does not block retries. */
    registerContext: (context: Context) => config.registerLambdaContext(context),
  };
};

export type Once = ReturnType<typeof createOnce>['once'];
