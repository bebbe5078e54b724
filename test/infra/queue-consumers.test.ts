import { describe, expect, it } from 'vitest';
import type { FunctionManifest } from '../../functions/resources/function-manifest';
import { chatPosts, countAnswers, exportSegments, sesFeedback } from '../../functions/resources/manifests';
import { consumersOf, visibilityTimeoutSecondsOf } from '../../functions/resources/queue-consumers';
import {
  answersQueue,
  chatPostsQueue,
  exportsQueue,
  queues,
  sesFeedbackQueue,
} from '../../functions/resources/queues';

describe('visibilityTimeoutSecondsOf', () => {
  it("is six times the consumer's timeout, from its manifest", () => {
    expect(visibilityTimeoutSecondsOf(answersQueue)).toBe(6 * countAnswers.timeoutSeconds);
    expect(visibilityTimeoutSecondsOf(exportsQueue)).toBe(6 * exportSegments.timeoutSeconds);
    expect(visibilityTimeoutSecondsOf(chatPostsQueue)).toBe(6 * chatPosts.timeoutSeconds);
  });

  it('uses the default function timeout when a manifest names none', () => {
    expect(sesFeedback).not.toHaveProperty('timeoutSeconds');
    expect(visibilityTimeoutSecondsOf(sesFeedbackQueue)).toBe(60);
  });

  it('follows the slowest consumer when several functions read one queue', () => {
    const slower = { ...countAnswers, id: 'Slower', timeoutSeconds: 120 } satisfies FunctionManifest;
    expect(visibilityTimeoutSecondsOf(answersQueue, [countAnswers, slower])).toBe(720);
  });

  it("keeps SQS's default for a queue no function reads", () => {
    expect(visibilityTimeoutSecondsOf(answersQueue, [])).toBe(30);
  });

  it('finds a consumer for every declared queue', () => {
    for (const queue of queues) expect(consumersOf(queue).length, queue.id).toBeGreaterThan(0);
  });
});
