import { type Command, InvalidArgumentError, Option } from 'commander';
import { createChatChannelRepository } from '../../functions/adapters/chat-channel-repository';
import { ChatWebhookUnavailableError, createChatWebhook } from '../../functions/adapters/chat-webhook';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { scopeOfText } from '../../functions/domain/chat';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import { chatChannelsTable, storesTable } from '../../functions/resources/tables';
import { chatEvents, chatKinds } from '../../functions/schemas/chat';
import { tableNamesFrom } from '../../functions/shared/config';
import {
  addChatChannel,
  type ListedChatChannel,
  listChatChannels,
  removeChatChannel,
  testChatChannel,
} from '../../functions/use-cases/chat-alerts';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, type Terminal, textTable } from '../terminal';

const chatDeps = (target: Target) => {
  const db = target.documentClient();
  const tables = tableNamesFrom({ chatChannels: chatChannelsTable, stores: storesTable }, target.env);
  return {
    channels: createChatChannelRepository(db, tables.chatChannels),
    stores: createStoreRepository(db, tables.stores),
    webhook: createChatWebhook(),
  };
};

/** Bad input, an unknown id or a conflict is the user's to fix: a usage error with its message. */
const asUsage = async <Result>(work: () => Promise<Result>): Promise<Result> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof NotFoundError || error instanceof ConflictError)
      throw new UsageError(error.message);
    throw error;
  }
};

export const formatChatChannels = (channels: readonly ListedChatChannel[]) => {
  if (channels.length === 0) return 'No chat channels. Add one with `closeloop chat add`.\n';
  const header = ['ID', 'SCOPE', 'KIND', 'EVENTS', 'WEBHOOK'];
  const rows = channels.map((channel) => [
    channel.channelId,
    channel.scope,
    channel.kind,
    channel.events.join(','),
    channel.url,
  ]);
  return `${textTable(header, rows)}\n`;
};

/**
 * `closeloop chat add|list|remove|test`: Slack and Teams incoming webhooks that get a store's, a
 * region's or the whole chain's detractor alerts and daily digests as well as the e-mail.
 */
export const registerChatCommand = (program: Command, terminal: Terminal) => {
  const chat = program
    .command('chat')
    .description(
      'Slack and Microsoft Teams channels (incoming webhooks) that get detractor alerts and daily digests ' +
        'as well as the managers’ e-mail. Webhook URLs are secrets: they are shown masked.',
    );

  chat
    .command('add')
    .description(
      'Add a channel for a store, a region (its regional manager’s e-mail, as in the stores file) or the ' +
        'whole chain. Safe to run again.',
    )
    .requiredOption(
      '--scope <scope>',
      'store:STORE_ID, region:REGIONAL_MANAGER_EMAIL or chain',
      (text: string) => {
        const scope = scopeOfText(text);
        if (scope === undefined) throw new InvalidArgumentError('expected store:ID, region:EMAIL or chain');
        return scope;
      },
    )
    .addOption(new Option('--kind <kind>', 'the chat').choices([...chatKinds]).makeOptionMandatory())
    .requiredOption('--url <url>', 'the incoming-webhook URL (https://…)')
    .option(
      '--events <events>',
      `what to post, comma-separated: ${chatEvents.join(', ')} (default: both)`,
      (text: string) =>
        text
          .split(',')
          .map((event) => event.trim())
          .filter(Boolean),
    )
    .option('--json', 'print the channel as JSON, with created: true|false')
    .action(
      async (options: {
        scope: Record<string, string>;
        kind: string;
        url: string;
        events?: string[];
        json?: boolean;
      }) => {
        const target = resolveTarget();
        const { channel, created } = await asUsage(() =>
          addChatChannel(
            chatDeps(target),
            { scope: options.scope, kind: options.kind, url: options.url, events: options.events },
            // A receiver on this machine (http://127.0.0.1:…) is for the local stack only.
            { allowLoopbackHttp: target.name === 'local' },
          ),
        );
        terminal.stdout.write(
          options.json === true
            ? jsonLine({ ...channel, created })
            : created
              ? `Added ${channel.kind} channel ${channel.channelId} for ${channel.scope} (${channel.events.join(', ')}). Try it: closeloop chat test ${channel.channelId}\n`
              : `${channel.channelId} already posts this webhook's ${channel.events.join(', ')} for ${channel.scope}: nothing to change.\n`,
        );
      },
    );

  chat
    .command('list')
    .description('List the chat channels, their webhooks masked.')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const channels = await listChatChannels(chatDeps(resolveTarget()));
      terminal.stdout.write(options.json === true ? jsonLine(channels) : formatChatChannels(channels));
    });

  chat
    .command('remove')
    .argument('<id>', 'the channel id (see chat list)')
    .description('Remove a chat channel: it gets nothing more.')
    .action(async (channelId: string) => {
      await asUsage(() => removeChatChannel(chatDeps(resolveTarget()), channelId));
      terminal.stdout.write(`Removed chat channel ${channelId}.\n`);
    });

  chat
    .command('test')
    .argument('<id>', 'the channel id (see chat list)')
    .description('Post a test message to a chat channel now.')
    .action(async (channelId: string) => {
      const result = await asUsage(async () => {
        try {
          return await testChatChannel(chatDeps(resolveTarget()), channelId);
        } catch (error) {
          if (error instanceof ChatWebhookUnavailableError)
            throw new UsageError(`${error.message}; try again later`);
          throw error;
        }
      });
      if (result.outcome === 'rejected')
        throw new UsageError(
          `the webhook refused the test message (HTTP ${result.status}): check its URL and that its channel still exists`,
        );
      terminal.stdout.write(`Posted a test message to chat channel ${channelId}.\n`);
    });
};
