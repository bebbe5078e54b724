import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Reads bulk import files and writes their rejects files, in any bucket the function may use. */
export const createImportFiles = (s3: S3Client) => {
  const get = async (bucket: string, key: string, range?: string) => {
    const { Body, ContentLength, ETag } = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }),
    );
    if (Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return { body: Body as unknown as AsyncIterable<Uint8Array>, size: ContentLength ?? 0, eTag: ETag ?? '' };
  };
  return {
    /** The whole object, streamed, with its ETag (the version the job imports). */
    read: (bucket: string, key: string) => get(bucket, key),

    /** The bytes [start, end) of an object, streamed (S3 GetObject with a Range header). */
    async readRange(
      bucket: string,
      key: string,
      start: number,
      end: number,
    ): Promise<AsyncIterable<Uint8Array>> {
      if (end <= start) return (async function* () {})();
      return (await get(bucket, key, `bytes=${start}-${end - 1}`)).body;
    },

    async readText(bucket: string, key: string): Promise<string> {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await Body?.transformToString('utf-8')) ?? '';
    },

    async write(bucket: string, key: string, text: string): Promise<void> {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: text,
          ContentType: 'text/csv; charset=utf-8',
        }),
      );
    },
  };
};

export type ImportFiles = ReturnType<typeof createImportFiles>;
