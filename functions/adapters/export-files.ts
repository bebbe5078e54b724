import { PassThrough, type Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

/**
 * Export files written into the exports bucket: streamed in (multipart, constant memory). Handing
 * them out is `export-links.ts`, apart, so that the API's bundle carries no multipart uploader.
 */
export const createExportUploads = (s3: S3Client, bucket: string) => ({
  /**
   * Opens an upload of `key` and hands `write` a stream to write the file into; resolves once S3 holds
   * the whole object (5 MiB parts, two sent at a time: memory stays flat).
   */
  async upload<T>(
    key: string,
    format: keyof typeof contentTypes,
    write: (sink: Writable) => Promise<T>,
  ): Promise<T> {
    const body = new PassThrough();
    const uploading = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentTypes[format],
        ContentDisposition: `attachment; filename="${key.split('/').at(-1)}"`,
      },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    }).done();
    // If S3 refuses the upload, stop the writer too rather than leave it waiting on a full stream.
    const uploaded = uploading.catch((error: unknown) => {
      body.destroy(error as Error);
      throw error;
    });
    const [result] = await Promise.all([write(body), uploaded]);
    return result;
  },
});

export type ExportUploads = ReturnType<typeof createExportUploads>;
