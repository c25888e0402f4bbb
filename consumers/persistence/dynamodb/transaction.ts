// One TransactWriteItems over writes the adapters build (their `…Write` functions), so a
// change that spans items or tables is written whole or not at all.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { TransactionWrite, WriteTogether } from "../ports/transaction";

/** One item of a TransactWriteItems, as the adapters build it. */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** The port's opaque write for `item`. */
export const asWrite = (item: TransactItem): TransactionWrite => item as unknown as TransactionWrite;

/** At most 100 writes; a cancellation for any other reason (throttling, validation) is thrown. */
export function writeTogether(client: DynamoDBDocumentClient): WriteTogether {
  return async (writes) => {
    try {
      const items = writes.map((write) => write as unknown as TransactItem);
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return { committed: true };
    } catch (error) {
      if (
        !(
          error instanceof TransactionCanceledException ||
          (error as Error).name === "TransactionCanceledException"
        )
      )
        throw error;
      const reasons = ((error as TransactionCanceledException).CancellationReasons ?? []).map(
        (reason) => reason.Code ?? "None",
      );
      const expected = ["None", "ConditionalCheckFailed", "TransactionConflict"];
      if (reasons.length === 0 || !reasons.every((code) => expected.includes(code))) throw error;
      return { committed: false, reasons };
    }
  };
}
