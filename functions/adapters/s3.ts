import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * An S3 client. Locally (`AWS_ENDPOINT_URL_S3` set, pointing at fauxqs's S3 emulation) it uses
 * path-style addresses, which the emulator needs.
 */
export const createS3Client = (config: S3ClientConfig = {}) =>
  new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, ...config });
