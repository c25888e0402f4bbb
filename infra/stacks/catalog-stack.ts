// Glue: the Schema Registry holding every event schema version from core/events
// (compatibility BACKWARD, so an incompatible change is rejected on deploy as it fails
// the build locally), and the Data Catalog tables that make the tenants' audit logs
// queryable with Athena, partitioned by tenant and date.
import { Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as athena from "aws-cdk-lib/aws-athena";
import * as glue from "aws-cdk-lib/aws-glue";
import type { Construct } from "constructs";
import type { TenantConfig } from "../../core/config";
import type { EventSchemaDefinition } from "../../core/events";
import { tenantBucket } from "../../core/storage/tables";
import { expiringBucket } from "../constructs/secure-bucket";
import { auditDatabaseName, auditTableName, payrailName } from "../naming";

export type CatalogStackProps = StackProps & {
  envName: string;
  eventSchemas: readonly EventSchemaDefinition[];
  tenants: TenantConfig[];
};

/** Columns of one audit line: the event envelope (docs/architecture.md, "Events"). */
const AUDIT_COLUMNS: glue.CfnTable.ColumnProperty[] = [
  { name: "eventid", type: "string" },
  { name: "type", type: "string" },
  { name: "schemaversion", type: "int" },
  { name: "tenantid", type: "string" },
  { name: "paymentid", type: "string" },
  { name: "paymenttype", type: "string" },
  { name: "correlationid", type: "string" },
  { name: "causationid", type: "string" },
  { name: "sequence", type: "bigint" },
  { name: "occurredat", type: "string" },
  { name: "data", type: "string", comment: "event data as JSON; amounts are minor-unit strings" },
];

/** Athena's partition projection placeholder, `${key}`, filled in at query time. */
const projected = (key: string) => `$\{${key}}`;

export class CatalogStack extends Stack {
  readonly registryName: string;

  constructor(scope: Construct, id: string, props: CatalogStackProps) {
    super(scope, id, props);
    const { envName } = props;
    this.registryName = payrailName(envName);
    const registry = new glue.CfnRegistry(this, "SchemaRegistry", {
      name: this.registryName,
      description: "Payrail event envelope schemas, one schema per event type, one version per schemaVersion",
    });
    this.registerSchemas(registry, props.eventSchemas);

    const database = new glue.CfnDatabase(this, "AuditDatabase", {
      catalogId: this.account,
      databaseInput: { name: auditDatabaseName(envName), description: "Payrail audit trail" },
    });
    this.auditTables(database, envName, props.tenants);
    this.athenaWorkGroup(envName);
  }

  /** Where analysts query the audit tables: results encrypted, expired after 30 days. */
  private athenaWorkGroup(envName: string): void {
    const results = expiringBucket(this, "AthenaResults", 30);
    Validations.of(results).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "Holds only Athena query results that expire after 30 days; who ran which query is recorded by CloudTrail and the workgroup",
    });
    new athena.CfnWorkGroup(this, "AuditWorkGroup", {
      name: payrailName(envName, "audit"),
      description: "Payrail audit analytics",
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    });
  }

  private registerSchemas(registry: glue.CfnRegistry, schemas: readonly EventSchemaDefinition[]): void {
    const byType = new Map<string, EventSchemaDefinition[]>();
    for (const s of schemas) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
    for (const [type, versions] of byType) {
      const [first, ...later] = [...versions].sort((a, b) => a.version - b.version);
      const schema = new glue.CfnSchema(this, `Schema-${type}`, {
        name: type,
        registry: { arn: registry.attrArn },
        dataFormat: "JSON",
        compatibility: "BACKWARD",
        schemaDefinition: JSON.stringify(first.schema),
        description: `${type} v${first.version}`,
      });
      // Versions register in order: each must be backward compatible with the one before.
      let previous: glue.CfnSchemaVersion | undefined;
      for (const version of later) {
        const next = new glue.CfnSchemaVersion(this, `Schema-${type}-v${version.version}`, {
          schema: { schemaArn: schema.attrArn },
          schemaDefinition: JSON.stringify(version.schema),
        });
        if (previous) next.node.addDependency(previous);
        previous = next;
      }
    }
  }

  /**
   * One table per Payrail region, since the region is part of each tenant's bucket name.
   * Partition projection enumerates the region's tenants and every date, so new audit
   * files are queryable without crawlers or MSCK REPAIR.
   */
  private auditTables(database: glue.CfnDatabase, envName: string, tenants: TenantConfig[]): void {
    const regions = [...new Set(tenants.map((t) => t.region))].sort();
    for (const region of regions) {
      const ids = tenants.filter((t) => t.region === region).map((t) => t.id);
      const table = new glue.CfnTable(this, `AuditTable-${region}`, {
        catalogId: this.account,
        databaseName: auditDatabaseName(envName),
        tableInput: {
          name: auditTableName(region),
          description: `Audit events of the ${region} tenants (JSON lines)`,
          tableType: "EXTERNAL_TABLE",
          partitionKeys: [
            { name: "tenant", type: "string" },
            { name: "date", type: "string" },
          ],
          parameters: {
            classification: "json",
            "projection.enabled": "true",
            "projection.tenant.type": "enum",
            "projection.tenant.values": ids.join(","),
            "projection.date.type": "date",
            "projection.date.format": "yyyy-MM-dd",
            "projection.date.range": "2024-01-01,NOW",
            "projection.date.interval": "1",
            "projection.date.interval.unit": "DAYS",
            "storage.location.template": `s3://${tenantBucket(envName, projected("tenant"), region)}/audit/date=${projected("date")}/`,
          },
          storageDescriptor: {
            columns: AUDIT_COLUMNS,
            location: `s3://${tenantBucket(envName, ids[0], region)}/audit/`,
            inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            serdeInfo: {
              serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
              parameters: { "case.insensitive": "true", "ignore.malformed.json": "true" },
            },
          },
        },
      });
      table.node.addDependency(database);
    }
  }
}
