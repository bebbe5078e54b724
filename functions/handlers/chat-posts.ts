import type { Context, SQSEvent } from 'aws-lambda';
import { ChatPostRequest } from '../schemas/chat';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { postToChat } from '../use-cases/chat-alerts';
import { chatPostsWiring } from '../wiring/chat-posts';

const { deps, registerContext, queue, retryBaseSeconds } = chatPostsWiring();

const consume = queueConsumer(
  async (record) => {
    const request = ChatPostRequest.parse(JSON.parse(record.body));
    const outcome = await postToChat(deps, request);
    logger.info('chat post done', { messageId: record.messageId, event: request.event, ...outcome });
  },
  { queue, retryBaseSeconds },
);

/** Consumes the chat-posts queue: posts each alert and digest to its Slack and Teams channels, once each. */
export const handler = (event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
};
