import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BenchmarkRecord } from '../schemas/benchmark';
import { scanAll } from './dynamodb';

/** The benchmarks registry: a handful of competitor and industry NPS figures, read whole. */
export const createBenchmarkRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(benchmarkId: string): Promise<BenchmarkRecord | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { benchmarkId } }));
    return Item === undefined ? undefined : BenchmarkRecord.parse(Item);
  },

  /** Every benchmark (a chain has a handful: one paginated scan), by id. */
  async listAll(): Promise<BenchmarkRecord[]> {
    const benchmarks = (await scanAll(db, tableName)).map((item) => BenchmarkRecord.parse(item));
    return benchmarks.sort((a, b) => a.benchmarkId.localeCompare(b.benchmarkId));
  },

  /** Sets a benchmark, replacing the one of the same id: putting the same one twice is harmless. */
  async put(benchmark: BenchmarkRecord): Promise<void> {
    await db.send(new PutCommand({ TableName: tableName, Item: benchmark }));
  },

  /** Removes a benchmark; false if there was none with this id. */
  async remove(benchmarkId: string): Promise<boolean> {
    const { Attributes } = await db.send(
      new DeleteCommand({ TableName: tableName, Key: { benchmarkId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  },
});

export type BenchmarkRepository = ReturnType<typeof createBenchmarkRepository>;
