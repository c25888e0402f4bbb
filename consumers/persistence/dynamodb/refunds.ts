// Refunds on the payment row (`refunds` map by refund id). A refund is accepted by one
// conditional write that reserves its amount (`refundableMinor` decremented only while it
// covers the amount), hands out its two event sequences (`allocatedSequence`, as read)
// and puts its RefundRequested into the outbox; so concurrent refunds can never reserve
// more than was captured. Its answer is written once, only while it is still PENDING.
// A refund of a payment still EXECUTED (a rail that refunds before settlement) starts the
// ledger itself, from what was captured; PaymentSettled then keeps it (./payments).
//
// A refund whose answer waits for the sweeper (`waits`) is counted in `refundsWaiting` and
// lists its row in the sparse `byRefundWaiting` index (`refundWaitingShard`), in the same
// write that reserves it, so the sweeper reads those rows and no others. Its answer only
// decrements the count: one UpdateExpression cannot REMOVE the attribute only when the count
// reaches 0, so the sweeper unlists a row it finds with none waiting, on the condition that
// none does (a refund reserved meanwhile keeps it listed).
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { REFUND_WAITING_SHARD } from "../../../core/storage/refund-waiting";
import { PAYMENT_INDEX } from "../../../core/storage/tables";
import type { OutboxEvent } from "../ports/outbox";
import type { RefundStore } from "../ports/refunds";
import { batchGet } from "./batch-get";
import { conditionally } from "./conditional";
import { cursorOf, startKeyOf } from "./cursor";
import { outboxAppend, storedRow } from "./payments";

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
    reserve(paymentId, { refund, payment, seenAllocated, allocated, emit }) {
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
        ":status": payment.status,
      };
      const conditions = ["#status = :status"];
      const assignments = ["#allocated = :allocated"];
      if (payment.status === "SETTLED") {
        conditions.push("refundableMinor >= :amount");
        assignments.push("refundableMinor = refundableMinor - :amount");
      } else {
        // Still EXECUTED (PaymentSettled not applied): the ledger starts from what was captured.
        names["#sequence"] = "sequence";
        values[":sequence"] = payment.sequence;
        values[":captured"] = payment.capturedMinor;
        conditions.push(
          "#sequence = :sequence",
          "(attribute_not_exists(refundableMinor) OR refundableMinor >= :amount)",
        );
        assignments.push("refundableMinor = if_not_exists(refundableMinor, :captured) - :amount");
      }
      if (payment.hasRefunds) {
        conditions.push("attribute_not_exists(#refunds.#id)");
        assignments.push("#refunds.#id = :refund");
      } else {
        values[":refunds"] = { [refund.refundId]: refund };
        conditions.push("attribute_not_exists(#refunds)");
        assignments.push("#refunds = :refunds");
        delete names["#id"];
        delete values[":refund"];
      }
      if (refund.waits) {
        values[":noneWaiting"] = 0;
        values[":oneWaiting"] = 1;
        values[":waitingShard"] = REFUND_WAITING_SHARD.value;
        assignments.push(
          "refundsWaiting = if_not_exists(refundsWaiting, :noneWaiting) + :oneWaiting",
          "refundWaitingShard = :waitingShard",
        );
      }
      if (seenAllocated === undefined) conditions.push("attribute_not_exists(#allocated)");
      else {
        values[":seen"] = seenAllocated;
        conditions.push("#allocated = :seen");
      }
      assignments.push(...outboxAppend(emit, names, values));
      return update(paymentId, { assignments, conditions, names, values });
    },

    claimAskAgain(paymentId, refundId, at, askedBefore) {
      return update(paymentId, {
        assignments: ["#refunds.#id.#asked = :at"],
        conditions: [
          "#refunds.#id.#refundStatus = :pending",
          "(attribute_not_exists(#refunds.#id.#asked) OR #refunds.#id.#asked < :before)",
        ],
        names: { "#refunds": "refunds", "#id": refundId, "#refundStatus": "status", "#asked": "askedAt" },
        values: { ":at": at, ":before": askedBefore, ":pending": "PENDING" },
      });
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
      if (refund.waits) {
        values[":oneWaiting"] = 1;
        assignments.push("refundsWaiting = refundsWaiting - :oneWaiting");
      }
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

    async listWaiting(limit, cursor) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: PAYMENT_INDEX.refundWaiting,
          KeyConditionExpression: "refundWaitingShard = :shard",
          ExpressionAttributeValues: { ":shard": REFUND_WAITING_SHARD.value },
          Limit: limit,
          ExclusiveStartKey: startKeyOf(cursor),
        }),
      );
      const keys = (page.Items ?? []).map((key) => ({ paymentId: key.paymentId }));
      const items =
        keys.length > 0 ? ((await batchGet(client, new Map([[tableName, keys]]))).get(tableName) ?? []) : [];
      // BatchGetItem answers in any order: back to the index's.
      const rows = new Map(items.map((item) => [item.paymentId, storedRow(item).payment]));
      return {
        items: keys.flatMap(({ paymentId }) => rows.get(paymentId) ?? []),
        cursor: cursorOf(page.LastEvaluatedKey),
      };
    },

    unlistIfNoneWaiting(paymentId) {
      return conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { paymentId },
            UpdateExpression: "REMOVE refundWaitingShard",
            ConditionExpression: "refundsWaiting = :noneWaiting",
            ExpressionAttributeValues: { ":noneWaiting": 0 },
          }),
        ),
      );
    },
  };
}
