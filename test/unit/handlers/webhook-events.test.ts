import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

const recordOf = (id: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    NewImage: marshall({
      id,
      type: 'case.opened',
      createdAt: '2026-11-02T10:00:00.000Z',
      data: { caseId: id },
    }) as never,
  },
});

let handler: (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;
beforeAll(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('WEBHOOK_ENDPOINTS_TABLE', 'webhook-endpoints');
  vi.stubEnv('WEBHOOKS_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/1/webhooks');
  ({ handler } = await import('../../../functions/handlers/webhook-events'));
});

describe('the webhook-events handler (the outbox fan-out)', () => {
  it('reads the endpoints once per batch, and queues each event for each endpoint that wants it', async () => {
    dynamo.on(ScanCommand).resolves({
      Items: [
        {
          endpointId: 'we_1',
          url: 'https://a.example',
          events: ['case.*'],
          secrets: [],
          createdAt: '2026-11-01T00:00:00.000Z',
        },
        {
          endpointId: 'we_2',
          url: 'https://b.example',
          events: ['response.*'],
          secrets: [],
          createdAt: '2026-11-01T01:00:00.000Z',
        },
      ],
    });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const result = await handler({ Records: ['ev-1', 'ev-2', 'ev-3'].map(recordOf) }, {} as Context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(1);
    const queued = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? '{}') as { endpointId: string; event: { id: string } });
    expect(queued.map((task) => [task.endpointId, task.event.id])).toEqual([
      ['we_1', 'ev-1'],
      ['we_1', 'ev-2'],
      ['we_1', 'ev-3'],
    ]);
  });
});
