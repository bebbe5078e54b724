import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { createChatChannelRepository } from '../adapters/chat-channel-repository';
import { createChatWebhook } from '../adapters/chat-webhook';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { chatPostsQueue } from '../resources/queues';
import { chatChannelsTable, idempotencyTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { logger } from '../shared/powertools';
import { wholeNumber } from '../shared/settings';

/** What the chat-posts function runs with (see its manifest). */
export const chatPostsWiring = () => {
  const tables = tableNamesFrom({ chatChannels: chatChannelsTable, idempotency: idempotencyTable });
  const config = readConfig({
    [chatPostsQueue.envVar]: z.string().check(z.minLength(1)),
    RETRY_BASE_SECONDS: wholeNumber(30),
  });
  const dynamodb = new DynamoDBClient({});
  const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
  return {
    deps: {
      channels: createChatChannelRepository(documentClientFor(dynamodb), tables.chatChannels),
      webhook: createChatWebhook(),
      once,
      // The channel's id and kind only: its URL is a secret.
      onRejected: (details: { channelId: string; kind: string; status: number }) =>
        logger.warn('a chat webhook refused the post; it is not retried', details),
    },
    registerContext,
    queue: createTaskQueue(createSqsClient(), config[chatPostsQueue.envVar]),
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
  };
};
