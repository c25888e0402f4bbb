// AMAZON_DYNAMODB data source: AppSync's request objects executed with the AWS SDK
// against the configured endpoint; results unmarshalled as AppSync returns them.
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { countDynamoDbCalls, processDynamoDbCallRecorder } from "../../../consumers/platform/call-counter";
import { fromMapValues } from "../runtime/dynamodb";
import { DataSourceError } from "../runtime/errors";

type Expr = { expression: string; expressionNames?: Record<string, string>; expressionValues?: AttributeMap };
type AttributeMap = Record<string, AttributeValue>;
type DynamoRequest = {
  operation: string;
  key?: AttributeMap;
  attributeValues?: AttributeMap;
  update?: Expr;
  condition?: Expr;
  query?: Expr;
  filter?: Expr | string;
  index?: string;
  limit?: number;
  nextToken?: string;
  scanIndexForward?: boolean;
  consistentRead?: boolean;
  select?: string;
  projection?: Expr;
};

// AppSync writes NULL as { NULL: null }; the DynamoDB wire format wants true.
const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "NULL" && v === null ? true : normalize(v)]),
  );
};

const asMap = (value: unknown) => normalize(value) as AttributeMap;
const item = (map: AttributeMap | undefined) =>
  map ? fromMapValues(map as unknown as Record<string, Record<string, unknown>>) : null;

/** Merges the names/values of several expressions into one command's parameters. */
const merge = (...expressions: (Expr | undefined)[]) => {
  const names: Record<string, string> = {};
  const values: AttributeMap = {};
  for (const e of expressions) {
    Object.assign(names, e?.expressionNames);
    Object.assign(values, asMap(e?.expressionValues ?? {}));
  }
  return {
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
};

const token = {
  decode: (t: string | undefined) =>
    t ? asMap(JSON.parse(Buffer.from(t, "base64url").toString("utf8"))) : undefined,
  encode: (key: AttributeMap | undefined) =>
    key ? Buffer.from(JSON.stringify(key)).toString("base64url") : null,
};

export function createDynamoDBInvoker(tableName: string, endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // AppSync's own DynamoDB calls count too when the stack counts (see call-counter.ts).
  const record = processDynamoDbCallRecorder();
  if (record) countDynamoDbCalls(client, record);

  const execute = async (r: DynamoRequest): Promise<unknown> => {
    const TableName = tableName;
    const filter = typeof r.filter === "string" ? (JSON.parse(r.filter) as Expr) : r.filter;
    switch (r.operation) {
      case "GetItem": {
        const out = await client.send(
          new GetItemCommand({ TableName, Key: asMap(r.key), ConsistentRead: r.consistentRead }),
        );
        return item(out.Item);
      }
      case "PutItem": {
        const Item = { ...asMap(r.attributeValues ?? {}), ...asMap(r.key) };
        await client.send(
          new PutItemCommand({
            TableName,
            Item,
            ConditionExpression: r.condition?.expression,
            ...merge(r.condition),
          }),
        );
        return item(Item);
      }
      case "UpdateItem": {
        const out = await client.send(
          new UpdateItemCommand({
            TableName,
            Key: asMap(r.key),
            UpdateExpression: r.update?.expression,
            ConditionExpression: r.condition?.expression,
            ReturnValues: "ALL_NEW",
            ...merge(r.update, r.condition),
          }),
        );
        return item(out.Attributes);
      }
      case "DeleteItem": {
        const out = await client.send(
          new DeleteItemCommand({
            TableName,
            Key: asMap(r.key),
            ConditionExpression: r.condition?.expression,
            ReturnValues: "ALL_OLD",
            ...merge(r.condition),
          }),
        );
        return item(out.Attributes);
      }
      case "Query":
      case "Scan": {
        const common = {
          TableName,
          IndexName: r.index,
          Limit: r.limit,
          ExclusiveStartKey: token.decode(r.nextToken),
          FilterExpression: filter?.expression,
          ConsistentRead: r.consistentRead,
        };
        const out =
          r.operation === "Query"
            ? await client.send(
                new QueryCommand({
                  ...common,
                  KeyConditionExpression: r.query?.expression,
                  ScanIndexForward: r.scanIndexForward,
                  ...merge(r.query, filter),
                }),
              )
            : await client.send(new ScanCommand({ ...common, ...merge(filter) }));
        return {
          items: (out.Items ?? []).map(item),
          nextToken: token.encode(out.LastEvaluatedKey),
          scannedCount: out.ScannedCount ?? 0,
        };
      }
      default:
        throw new DataSourceError(`Unsupported operation ${r.operation}`, "DynamoDB:InvalidRequest");
    }
  };

  return async (request: unknown): Promise<unknown> => {
    try {
      return await execute(request as DynamoRequest);
    } catch (error) {
      if (error instanceof DataSourceError) throw error;
      const name = error instanceof DynamoDBServiceException ? error.name : "InternalFailure";
      throw new DataSourceError((error as Error).message, `DynamoDB:${name}`);
    }
  };
}
