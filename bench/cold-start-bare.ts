import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** One DynamoDB request, in the low-level client's own terms. */
export type BareCall =
  | { readonly kind: 'GetItem'; readonly table: string; readonly key: Record<string, AttributeValue> }
  | {
      readonly kind: 'UpdateItem';
      readonly table: string;
      readonly key: Record<string, AttributeValue>;
      readonly set: Record<string, AttributeValue>;
    };

const client = new DynamoDBClient({});

/**
 * The baseline of the cold-start benchmark: a handler with nothing but a plain DynamoDBClient, which
 * makes the DynamoDB requests the event lists. Bundled like the real handlers, SDK trims included.
 */
export const handler = async (event: { readonly calls: readonly BareCall[] }) => {
  for (const call of event.calls) {
    if (call.kind === 'GetItem') {
      await client.send(new GetItemCommand({ TableName: call.table, Key: call.key, ConsistentRead: true }));
      continue;
    }
    const names = Object.keys(call.set);
    await client.send(
      new UpdateItemCommand({
        TableName: call.table,
        Key: call.key,
        UpdateExpression: `SET ${names.map((_, index) => `#n${index} = :v${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#n${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          names.map((name, index) => [`:v${index}`, call.set[name] as AttributeValue]),
        ),
        ReturnValues: 'ALL_NEW',
      }),
    );
  }
  return { statusCode: 200 };
};
