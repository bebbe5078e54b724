import * as z from 'zod/mini';
import { exportsBucketEnvVar } from '../resources/queues';
import { readConfig } from '../shared/config';

export type Env = Readonly<Record<string, string | undefined>>;

/** The bucket export files go to (its own module: the exporter bundles none of the API's wiring). */
export const readExportBucket = (env: Env) =>
  readConfig({ [exportsBucketEnvVar]: z.string().check(z.minLength(1)) }, env);
