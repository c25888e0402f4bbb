import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

/** True for a failed ConditionExpression (the item exists / changed), whatever client threw it. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

/** Runs a conditional write; resolves false instead of throwing when its condition fails. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
