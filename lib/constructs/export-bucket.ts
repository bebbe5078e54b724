import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where segment exports are written: private, encrypted, TLS only, and emptied of every file after
 * seven days (the download links last fifteen minutes; the job record a week).
 */
export class ExportBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Exports', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        { expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Files live at most seven days and are only reachable through 15-minute pre-signed links that the ' +
        'authenticated exports API hands out to the marketing user or admin who started the job; the API ' +
        'access logs record every such request.',
    });
  }

  /** Lets a function write export files (multipart) and nothing else. */
  grantWriteExports(grantee: IFunction) {
    this.grantOnExports(grantee, ['s3:PutObject', 's3:AbortMultipartUpload'], 'writes');
  }

  /** Lets a function sign download links for export files (a link carries its signer's rights). */
  grantReadExports(grantee: IFunction) {
    this.grantOnExports(grantee, ['s3:GetObject'], 'signs download links for');
  }

  /** Sends an event to `queue` for each CSV file created in `imports/` (bulk imports). */
  notifyImports(queue: Queue) {
    // Declared on the bucket itself rather than with addEventNotification, which deploys a custom
    // resource (a Python function with a managed policy) to set it.
    queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const bucket = this.bucket.node.defaultChild as CfnBucket;
    bucket.notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: queue.queueArn,
          filter: {
            s3Key: {
              rules: [
                { name: 'prefix', value: 'imports/' },
                { name: 'suffix', value: '.csv' },
              ],
            },
          },
        },
      ],
    };
    // S3 checks that it may send to the queue when the configuration is set.
    const queuePolicy = queue.node.tryFindChild('Policy');
    if (queuePolicy) bucket.node.addDependency(queuePolicy);
  }

  /** Lets a function read bulk import files and write their rejects files next to them. */
  grantImportFiles(grantee: IFunction) {
    this.grantOnExports(grantee, ['s3:GetObject', 's3:PutObject'], 'reads and writes', 'imports');
  }

  private grantOnExports(grantee: IFunction, actions: string[], verb: string, prefix = 'exports') {
    grantee.addToRolePolicy(
      new PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${prefix}/*`)] }),
    );
    Validations.of(grantee.role ?? grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/${prefix}/*]`,
      reason: `The function ${verb} ${prefix === 'exports' ? 'export files whose names are new job ids' : 'files dropped for import, whatever their names'}: the prefix is the narrowest scope.`,
    });
  }
}
