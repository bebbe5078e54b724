import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Export files handed out by pre-signed link (the exporter writes them: `export-files.ts`). */
export const createExportLinks = (s3: S3Client, bucket: string) => ({
  /** A link that downloads the file for `expiresInSeconds`, without AWS credentials. */
  downloadUrl: (key: string, expiresInSeconds: number) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds }),
});

export type ExportLinks = ReturnType<typeof createExportLinks>;
