// Refunds on the payment row (`refunds` map by refund id). A refund is accepted by one
// conditional write that reserves its amount (`refundableMinor` decremented only while it
// covers the amount), hands out its two event sequences (`allocatedSequence`, as read)
// and puts its RefundRequested into the outbox; so concurrent refunds can never reserve
// more than was captured. Its answer is written once, only while it is still PENDING.
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { OutboxEvent } from "../ports/outbox";
import type { RefundStore } from "../ports/refunds";
import { conditionally } from "./conditional";
import { outboxAppend } from "./payments";

export function dynamoDbRefundStore<E extends OutboxEvent = OutboxEvent>(
  client: DynamoDBDocumentClient,
  tableName: string,
): RefundStore<E> {
  /** One conditional SET on the payment row; false when a condition fails. */
  const update = (
    paymentId: string,
    expression: {
      assignments: string[];
      conditions: string[];
      names: Record<string, string>;
      values: Record<string, unknown>;
    },
  ) =>
    conditionally(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { paymentId },
          UpdateExpression: `SET ${expression.assignments.join(", ")}`,
          ConditionExpression: expression.conditions.join(" AND "),
          ExpressionAttributeNames: expression.names,
          ExpressionAttributeValues: expression.values,
        }),
      ),
    );
  return {
    reserve(paymentId, { refund, seenAllocated, allocated, emit }) {
      const names: Record<string, string> = {
        "#refunds": "refunds",
        "#id": refund.refundId,
        "#status": "status",
        "#allocated": "allocatedSequence",
      };
      const values: Record<string, unknown> = {
        ":refund": refund,
        ":amount": Number(refund.amountMinor),
        ":allocated": allocated,
        ":settled": "SETTLED",
      };
      const conditions = [
        "#status = :settled",
        "refundableMinor >= :amount",
        "attribute_not_exists(#refunds.#id)",
      ];
      if (seenAllocated === undefined) conditions.push("attribute_not_exists(#allocated)");
      else {
        values[":seen"] = seenAllocated;
        conditions.push("#allocated = :seen");
      }
      const assignments = [
        "#refunds.#id = :refund",
        "refundableMinor = refundableMinor - :amount",
        "#allocated = :allocated",
        ...outboxAppend(emit, names, values),
      ];
      return update(paymentId, { assignments, conditions, names, values });
    },

    answer(paymentId, { refund, release, completes }) {
      const names: Record<string, string> = {
        "#refunds": "refunds",
        "#id": refund.refundId,
        "#refundStatus": "status",
      };
      const values: Record<string, unknown> = { ":refund": refund, ":pending": "PENDING" };
      const assignments = ["#refunds.#id = :refund"];
      const conditions = ["#refunds.#id.#refundStatus = :pending"];
      if (release > 0) {
        values[":release"] = release;
        assignments.push("refundableMinor = refundableMinor + :release");
      }
      if (completes) {
        names["#status"] = "status";
        values[":refunded"] = "REFUNDED";
        values[":settled"] = "SETTLED";
        values[":at"] = refund.updatedAt;
        assignments.push("#status = :refunded", "updatedAt = :at");
        conditions.push("#status = :settled");
      }
      return update(paymentId, { assignments, conditions, names, values });
    },
  };
}
