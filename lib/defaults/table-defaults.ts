import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  type TablePropsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IndexDefinition, KeyDefinition, TableDefinition } from '../../functions/resources/tables';

const attribute = (key: KeyDefinition) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

const projection = (index: IndexDefinition) =>
  index.projection === 'ALL'
    ? { projectionType: ProjectionType.ALL }
    : index.projection === 'KEYS_ONLY'
      ? { projectionType: ProjectionType.KEYS_ONLY }
      : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] };

/**
 * Props for a table from its shared definition, with the defaults every closeloop table gets:
 * on-demand billing, point-in-time recovery, deletion protection, and retention on stack deletion
 * (customer data must never disappear with a stack).
 */
export const tableProps = (table: TableDefinition): TablePropsV2 => ({
  partitionKey: attribute(table.partitionKey),
  ...(table.sortKey && { sortKey: attribute(table.sortKey) }),
  billing: Billing.onDemand(),
  encryption: TableEncryptionV2.awsManagedKey(),
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
  timeToLiveAttribute: table.timeToLiveAttribute,
  ...(table.stream && { dynamoStream: StreamViewType[table.stream] }),
  globalSecondaryIndexes: table.globalIndexes.map((index) => ({
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
    ...projection(index),
  })),
});
