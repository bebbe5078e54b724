import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTaskQueue, messageBodyOf } from '../../../functions/adapters/task-queue';

/** Printable ASCII: a subset of what SQS (and its emulator) accept in a message body. */
const printableAscii = /^[\x20-\x7e]*$/;

describe('messageBodyOf', () => {
  it('writes any comment as printable ASCII JSON that parses back to the same text', () => {
    const comment = '<img src=x> très déçu 😡\u0001\u0000\uD800 lone surrogate\r\n';
    const body = messageBodyOf({ comment });
    expect(body).toMatch(printableAscii);
    expect(JSON.parse(body)).toEqual({ comment });
  });

  it('round-trips every string, and never writes a character SQS refuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const body = messageBodyOf({ text });
        expect(body).toMatch(printableAscii);
        expect(JSON.parse(body)).toEqual({ text: JSON.parse(JSON.stringify(text)) });
      }),
    );
  });
});

describe('createTaskQueue', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  it('sends escaped bodies, and throws when SQS keeps refusing an entry', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }],
    });
    const queue = createTaskQueue(new SQSClient({ region: 'eu-west-1' }), 'https://queue');
    await expect(queue.sendAll([{ comment: '😡' }])).rejects.toThrow(/refused 1 messages/);
    const first = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input;
    expect(first?.Entries?.[0]?.MessageBody).toBe('{"comment":"\\ud83d\\ude21"}');
  });
});
