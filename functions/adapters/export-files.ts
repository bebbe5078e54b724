import { PassThrough, type Writable } from 'node:stream';
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * An S3 client. Locally (`AWS_ENDPOINT_URL_S3` set, pointing at fauxqs's S3 emulation) it uses
 * path-style addresses, which the emulator needs.
 */
export const createS3Client = (config: S3ClientConfig = {}) =>
  new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined, ...config });

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

/** Export files in the exports bucket: streamed in (multipart, constant memory), handed out by pre-signed link. */
export const createExportFiles = (s3: S3Client, bucket: string) => ({
  /**
   * Opens an upload of `key` and hands `write` a stream to write the file into; resolves once S3 holds
   * the whole object (5 MB parts, at most two in memory).
   */
  async upload<T>(
    key: string,
    format: keyof typeof contentTypes,
    write: (sink: Writable) => Promise<T>,
  ): Promise<T> {
    const body = new PassThrough();
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentTypes[format],
        ContentDisposition: `attachment; filename="${key.split('/').at(-1)}"`,
      },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
    });
    // If S3 refuses the upload, stop the writer too rather than leave it waiting on a full stream.
    const uploaded = upload.done().catch((error: unknown) => {
      body.destroy(error as Error);
      throw error;
    });
    const [result] = await Promise.all([write(body), uploaded]);
    return result;
  },

  /** A link that downloads the file for `expiresInSeconds`, without AWS credentials. */
  downloadUrl: (key: string, expiresInSeconds: number) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds }),
});

export type ExportFiles = ReturnType<typeof createExportFiles>;
