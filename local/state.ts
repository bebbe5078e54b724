import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod/mini';

/** What `npm start` publishes about the running local stack, for the CLI, tests and people. */
export const LocalState = z.object({
  apiUrl: z.url(),
  mailUrl: z.url(),
  /** The NPS dashboard and the managers' follow-up page (staff sign in through `issuerUrl`). */
  dashboardUrl: z.optional(z.url()),
  managersUrl: z.optional(z.url()),
  /** The local OpenID Connect provider (Cognito's stand-in) and the staff pages' client id at it. */
  issuerUrl: z.url(),
  clientId: z.string().check(z.minLength(1)),
  dynamodbEndpoint: z.url(),
  sqsEndpoint: z.url(),
  sesEndpoint: z.url(),
  region: z.string(),
  /** The environment the functions run with locally: table names, queue URLs, endpoints. */
  env: z.record(z.string(), z.string()),
  pid: z.number(),
  startedAt: z.string(),
});
export type LocalState = z.infer<typeof LocalState>;

export const defaultStatePath = () => resolve(process.env.CLOSELOOP_STATE_FILE ?? '.closeloop/local.json');

export const writeLocalState = (state: LocalState, path = defaultStatePath()) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
};

export const removeLocalState = (path = defaultStatePath()) => rmSync(path, { force: true });

export class LocalStackNotRunningError extends Error {}

export const readLocalState = (path = defaultStatePath()): LocalState => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LocalStackNotRunningError(
      `no local stack found (${path} is missing). Start it with \`npm start\` in another terminal, ` +
        'or set CLOSELOOP_TARGET=aws to work against AWS.',
    );
  }
  const state = LocalState.safeParse(JSON.parse(text));
  if (!state.success) throw new LocalStackNotRunningError(`${path} is not a valid local stack description`);
  try {
    process.kill(state.data.pid, 0);
  } catch {
    throw new LocalStackNotRunningError(
      `the local stack described in ${path} is not running (process ${state.data.pid} is gone). Start it with \`npm start\`.`,
    );
  }
  return state.data;
};
