import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportUploads } from '../../functions/adapters/export-files';
import { createS3Client } from '../../functions/adapters/s3';
import { exportsBucketEnvVar } from '../../functions/resources/queues';
import { provisionBuckets } from '../../local/provision';
import { localEnv, uniquePrefix } from '../support/local-stack';

let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  const env = localEnv();
  s3 = createS3Client({
    endpoint: env.AWS_ENDPOINT_URL_S3,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    forcePathStyle: true,
  });
  bucket = (await provisionBuckets(s3, uniquePrefix('files')))[exportsBucketEnvVar] ?? '';
});

afterAll(() => s3.destroy());

/** Writes `lines` numbered CSV lines, respecting backpressure; returns the bytes' SHA-256. */
const writeLines = async (sink: Writable, lines: number) => {
  const hash = createHash('sha256');
  for (let index = 0; index < lines; index++) {
    const line = `${index},customer-${index}@example.com,"a comment, with a comma",9\r\n`;
    hash.update(line);
    if (!sink.write(line)) await once(sink, 'drain');
  }
  sink.end();
  return hash.digest('hex');
};

const stored = async (key: string) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  return { object, sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length };
};

describe('export files', () => {
  it('stores a small file whole, with its content type', async () => {
    const key = 'exports/2026-11-23/small-promoters.csv';
    const sha256 = await createExportUploads(s3, bucket).upload(key, 'csv', (sink) => writeLines(sink, 100));
    const file = await stored(key);
    expect(file.sha256).toBe(sha256);
    // (The emulator keeps no Content-Disposition; the unit test checks that it is sent.)
    expect(file.object.ContentType).toBe('text/csv; charset=utf-8');
  });

  it('streams a file of several parts into one object, byte for byte', async () => {
    const key = 'exports/2026-11-23/large-detractors.csv';
    // ~14 MiB: three 5 MiB parts, the last one shorter.
    const sha256 = await createExportUploads(s3, bucket).upload(key, 'csv', (sink) =>
      writeLines(sink, 230_000),
    );
    const file = await stored(key);
    expect(file.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(file.sha256).toBe(sha256);
    expect(file.object.ContentType).toBe('text/csv; charset=utf-8');
  });

  it('fails, and stops the writer, when S3 refuses the upload', async () => {
    const missing = createExportUploads(s3, `${bucket}-missing`);
    await expect(
      missing.upload('exports/2026-11-23/nowhere.csv', 'csv', (sink) => writeLines(sink, 230_000)),
    ).rejects.toThrow();
  });
});
