import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

const contextOf = (awsRequestId: string) =>
  ({
    functionName: 'survey',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:survey',
    memoryLimitInMB: '256',
    awsRequestId,
    getRemainingTimeInMillis: () => 1000,
  }) as Context;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A fresh copy of a module, as a new Lambda execution environment would load it. */
const fresh = async <T>(path: string): Promise<T> => {
  vi.resetModules();
  return (await import(path)) as T;
};

describe('the logger', () => {
  const printed = () => {
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => lines.push(JSON.parse(line)));
    return lines;
  };

  it('carries the Lambda context of the invocation, and calls the first one the cold start', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const lines = printed();
    const { addLambdaContext, logger } = await fresh<typeof import('../../../functions/shared/powertools')>(
      '../../../functions/shared/powertools',
    );
    addLambdaContext(contextOf('first'));
    logger.info('answer recorded');
    addLambdaContext(contextOf('second'));
    logger.info('answer recorded');
    expect(lines.map((line) => [line.function_request_id, line.cold_start, line.function_name])).toEqual([
      ['first', true, 'survey'],
      ['second', false, 'survey'],
    ]);
  });

  it('does not call a later invocation the cold start when it is the first to log', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const lines = printed();
    const { addLambdaContext, logger } = await fresh<typeof import('../../../functions/shared/powertools')>(
      '../../../functions/shared/powertools',
    );
    addLambdaContext(contextOf('quiet'));
    addLambdaContext(contextOf('talkative'));
    logger.info('answer recorded');
    expect(lines).toEqual([expect.objectContaining({ function_request_id: 'talkative', cold_start: false })]);
  });
});

describe('publishingMetrics', () => {
  it('flushes the figures counted during an invocation as one EMF line, even when the handler fails', async () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { countMetric, publishingMetrics } = await fresh<
      typeof import('../../../functions/shared/metrics')
    >('../../../functions/shared/metrics');
    const handler = publishingMetrics(async (fail: boolean) => {
      countMetric('AnswersRecorded');
      countMetric('AnswersRecorded');
      if (fail) throw new Error('boom');
      return 'ok';
    });
    await expect(handler(true, {})).rejects.toThrow('boom');
    const [line] = written.map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
    expect(line?.AnswersRecorded).toEqual([1, 1]); // CloudWatch sums the values: 2
    expect(JSON.stringify(line?._aws)).toContain('"Namespace":"closeloop"');
  });
});
