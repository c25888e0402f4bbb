// Turns the shared table definitions (core/storage/tables.ts, the ones
// local provisioning creates on dynalite) into CDK table properties, so AWS and the
// laptop have the same keys, indexes and TTL.
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { TableDefinition } from "../../core/storage/tables";

const ATTRIBUTE_TYPES: Record<string, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

type KeyElement = { AttributeName?: string; KeyType?: string };

function attribute(def: TableDefinition, name: string): dynamodb.Attribute {
  const declared = def.AttributeDefinitions?.find((a) => a.AttributeName === name);
  const type = declared?.AttributeType && ATTRIBUTE_TYPES[declared.AttributeType];
  if (!type) throw new Error(`table definition: attribute ${name} has no declared type`);
  return { name, type };
}

function keys(def: TableDefinition, schema: KeyElement[] | undefined) {
  const of = (kind: string) => schema?.find((k) => k.KeyType === kind)?.AttributeName;
  const hash = of("HASH");
  if (!hash) throw new Error("table definition: key schema without a HASH key");
  const range = of("RANGE");
  return { partitionKey: attribute(def, hash), ...(range ? { sortKey: attribute(def, range) } : {}) };
}

export function tableKeyProps(def: TableDefinition) {
  return {
    ...keys(def, def.KeySchema),
    ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
  };
}

export function globalIndexes(def: TableDefinition): dynamodb.GlobalSecondaryIndexProps[] {
  return (def.GlobalSecondaryIndexes ?? []).map((index) => {
    return {
      indexName: index.IndexName,
      ...keys(def, index.KeySchema),
      projectionType: index.Projection.ProjectionType as dynamodb.ProjectionType,
    };
  });
}
