// DynamoDB's error bodies for the transaction layer, in the shape dynalite's own errors
// have (statusCode + body), so both are sent the same way.
import type { DynaliteError } from "./dynalite";

const PREFIX = "com.amazonaws.dynamodb.v20120810#";

export type CancellationReason = { Code: string; Message?: string; Item?: Record<string, unknown> };

export function dynamoDbError(
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): DynaliteError {
  const error = new Error(message) as DynaliteError;
  error.statusCode = 400;
  error.body = { __type: `${PREFIX}${type}`, message, ...extra };
  return error;
}

export const validationError = (message: string) =>
  Object.assign(dynamoDbError("ValidationException", message), {
    body: { __type: "com.amazon.coral.validate#ValidationException", message },
  });

/** As DynamoDB words it: the reasons' codes in item order, then the reasons themselves. */
export function transactionCanceled(reasons: CancellationReason[]): DynaliteError {
  const codes = reasons.map((reason) => reason.Code).join(", ");
  return dynamoDbError(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    { CancellationReasons: reasons },
  );
}

/** A dynalite error an action returned, as the cancellation reason DynamoDB gives for it. */
export function reasonFor(error: DynaliteError): CancellationReason {
  const type = error.body?.__type ?? "";
  if (type.endsWith("#ConditionalCheckFailedException"))
    return { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
  if (type.endsWith("#ValidationException")) return { Code: "ValidationError", Message: error.body?.message };
  throw error;
}

/** The request's TransactItems, checked for presence and count as DynamoDB checks them. */
export function transactItems(value: unknown, max: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  if (value.length > max)
    throw validationError(
      `1 validation error detected: Value '[${value.length} items]' at 'transactItems' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${max}`,
    );
  return value;
}
