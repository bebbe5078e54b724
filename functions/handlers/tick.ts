import type { Context, ScheduledEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSqsClient } from '../adapters/task-queue';
import { addLambdaContext, logger } from '../shared/powertools';
import { runTick } from '../use-cases/schedule-surveys';
import { scheduleDeps } from '../wiring/tick';

const deps = scheduleDeps(createDocumentClient(), createSqsClient({}));

/** Runs every time-driven job (survey scheduling, reminders) as of the schedule's instant. */
export const handler = async (event: Pick<ScheduledEvent, 'time'>, context?: Context) => {
  if (context !== undefined) addLambdaContext(context);
  const now = new Date(event.time ?? Date.now());
  const queued = await runTick(deps, now);
  logger.info('tick', { now: now.toISOString(), ...queued });
  return queued;
};
