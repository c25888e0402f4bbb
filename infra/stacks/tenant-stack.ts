// One tenant's isolated namespace: its own KMS key, DynamoDB tables with the tenant
// prefix, S3 bucket, and one IAM role per shared service whose statements name only this
// tenant's resources. Deployed on its own (`Payrail-<env>-Tenant-<id>`), so adding a tenant
// never touches another tenant's stack.
import { type CfnElement, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import type { TenantConfig } from "../../core/config";
import {
  TENANT_TABLE_DEFINITIONS,
  type TenantTables,
  tenantBucket,
  tenantTables,
} from "../../core/storage/tables";
import { expiringBucket, SECURE_BUCKET } from "../constructs/secure-bucket";
import { globalIndexes, tableKeyProps } from "../constructs/table-definition";
import { kmsAlias, serviceRoleName, tenantServiceRoleName } from "../naming";
import { TABLE_GRANTS, TENANT_SERVICE_ACCESS } from "../tenant-access";

export type TenantStackProps = StackProps & { envName: string; tenant: TenantConfig };

type TableKey = keyof TenantTables;

export class TenantStack extends Stack {
  readonly tables: Record<TableKey, dynamodb.Table>;
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly serviceRoles: Record<string, iam.Role>;

  constructor(scope: Construct, id: string, props: TenantStackProps) {
    super(scope, id, props);
    const { envName, tenant } = props;
    this.key = new kms.Key(this, "TenantKey", {
      alias: kmsAlias(envName, tenant.id),
      description: `Payrail ${envName} tenant ${tenant.id}: tables and bucket`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const names = tenantTables(envName, tenant.id);
    this.tables = Object.fromEntries(
      (Object.keys(names) as TableKey[]).map((key) => {
        const definition = TENANT_TABLE_DEFINITIONS[key];
        const table = new dynamodb.Table(this, `Table-${key}`, {
          tableName: names[key],
          ...tableKeyProps(definition),
          billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
          encryptionKey: this.key,
          deletionProtection: true,
          removalPolicy: RemovalPolicy.RETAIN,
        });
        for (const index of globalIndexes(definition)) table.addGlobalSecondaryIndex(index);
        return [key, table];
      }),
    ) as Record<TableKey, dynamodb.Table>;

    this.bucket = this.createBucket(envName, tenant);

    this.serviceRoles = Object.fromEntries(
      Object.keys(TENANT_SERVICE_ACCESS).map((service) => [
        service,
        this.serviceRole(envName, tenant.id, service),
      ]),
    );
  }

  private createBucket(envName: string, tenant: TenantConfig): s3.Bucket {
    const accessLogs = expiringBucket(this, "AccessLogs", 365);
    return new s3.Bucket(this, "Bucket", {
      ...SECURE_BUCKET,
      bucketName: tenantBucket(envName, tenant.id, tenant.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "bucket/",
      lifecycleRules: [
        {
          id: "audit-tiering",
          prefix: "audit/",
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
          ],
        },
        { id: "old-versions", noncurrentVersionExpiration: Duration.days(90) },
        { id: "incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
  }

  /** The role `service` assumes for this tenant; only that service's execution role may assume it. */
  private serviceRole(envName: string, tenantId: string, service: string): iam.Role {
    const access = TENANT_SERVICE_ACCESS[service];
    const role = new iam.Role(this, `Role-${service}`, {
      roleName: tenantServiceRoleName(envName, tenantId, service),
      description: `Payrail ${envName}: ${service} acting for tenant ${tenantId}`,
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        ArnEquals: {
          "aws:PrincipalArn": this.formatArn({
            service: "iam",
            region: "",
            resource: "role",
            resourceName: serviceRoleName(envName, service),
          }),
        },
      }),
    });
    const statements: iam.PolicyStatement[] = [];
    for (const [key, level] of Object.entries(access.tables)) {
      const table = this.tables[key as TableKey];
      const grant = TABLE_GRANTS[level];
      // The table and each of its indexes by name: no `index/*` wildcard.
      const indexes = globalIndexes(TENANT_TABLE_DEFINITIONS[key as TableKey])
        .map((index) => index.indexName)
        .filter((name) => !grant.onlyIndexes || grant.onlyIndexes.includes(name))
        .map((name) => `${table.tableArn}/index/${name}`);
      if (grant.onlyIndexes && indexes.length !== grant.onlyIndexes.length) {
        throw new Error(
          `${key} lacks one of the indexes ${grant.onlyIndexes.join(", ")} that ${service} uses`,
        );
      }
      const sameActions = grant.table.join() === grant.indexes.join();
      if (sameActions) {
        statements.push(
          new iam.PolicyStatement({ actions: grant.table, resources: [table.tableArn, ...indexes] }),
        );
      } else {
        statements.push(new iam.PolicyStatement({ actions: grant.table, resources: [table.tableArn] }));
        if (indexes.length > 0) {
          statements.push(new iam.PolicyStatement({ actions: grant.indexes, resources: indexes }));
        }
      }
    }
    const bucketId = this.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    for (const prefix of access.writesPrefixes) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object keys under ${prefix} are dated file names; the wildcard stays inside this tenant's own bucket and prefix`,
      });
    }
    if (access.writesPrefixes.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          actions: ["s3:PutObject"],
          resources: access.writesPrefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`)),
        }),
      );
    }
    statements.push(
      new iam.PolicyStatement({
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [this.key.keyArn],
      }),
    );
    for (const statement of statements) role.addToPolicy(statement);
    return role;
  }
}
