import { afterEach, describe, expect, it } from 'vitest';
import { routeThrottles } from '../../functions/resources/routes';
import { startApiServer } from '../../local/api-server';
import { localEnv } from '../support/local-stack';

let api: Awaited<ReturnType<typeof startApiServer>> | undefined;

afterEach(async () => {
  await api?.stop();
  api = undefined;
});

const statuses = async (url: string, count: number) => {
  const answers: Response[] = [];
  for (let i = 0; i < count; i++) answers.push(await fetch(url));
  return answers;
};

describe('local API throttling', () => {
  it('answers 429 as API Gateway does once a route has used its burst, before the authorizer runs', async () => {
    Object.assign(process.env, localEnv());
    api = await startApiServer({
      port: 0,
      throttle: { ...routeThrottles, staff: { rateLimit: 0.01, burstLimit: 2 } },
    });
    const answers = await statuses(`${api.url}/r/report`, 3);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 429]);
    expect(await answers[2]?.json()).toEqual({ message: 'Too Many Requests' });
    // Another route of the group has its own bucket; other groups are untouched.
    expect((await fetch(`${api.url}/r/dashboard`)).status).toBe(401);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });

  it('throttles nothing unless asked to', async () => {
    Object.assign(process.env, localEnv());
    api = await startApiServer({ port: 0 });
    const answers = await statuses(`${api.url}/r/report`, 120);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([401]));
  });
});
