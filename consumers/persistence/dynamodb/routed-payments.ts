// What execution reads before routing a batch: each payment's row and its attempts so far,
// all in one consistent BatchGetItem (the attempts by key: 1 to the tenant's failover
// budget), instead of a BatchGetItem for the rows and a Query per payment.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AttemptRecord } from "../../../core/routing";
import { type AttemptItem, attemptRecord } from "../ports/attempts";
import type { RoutedPayment, RoutedPayments } from "../ports/routed-payments";
import { batchGet } from "./batch-get";
import { storedRow } from "./payments";

export function dynamoDbRoutedPayments(
  client: DynamoDBDocumentClient,
  tables: { payments: string; attempts: string },
): RoutedPayments {
  return {
    async read(paymentIds, maxAttempts) {
      const ids = [...new Set(paymentIds)];
      const attemptKeys = ids.flatMap((paymentId) =>
        Array.from({ length: maxAttempts }, (_, i) => ({ paymentId, attempt: i + 1 })),
      );
      const found = await batchGet(
        client,
        new Map([
          [tables.payments, ids.map((paymentId) => ({ paymentId }))],
          [tables.attempts, attemptKeys],
        ]),
      );
      const attempts = new Map<string, AttemptRecord[]>();
      for (const item of (found.get(tables.attempts) ?? []) as AttemptItem[])
        attempts.set(item.paymentId, [...(attempts.get(item.paymentId) ?? []), attemptRecord(item)]);
      const payments = new Map<string, RoutedPayment>();
      for (const item of found.get(tables.payments) ?? []) {
        const { payment } = storedRow(item);
        const listed = (attempts.get(payment.paymentId) ?? []).sort((a, b) => a.attempt - b.attempt);
        payments.set(payment.paymentId, {
          payment,
          ...(listed.length < maxAttempts ? { attempts: listed } : {}),
        });
      }
      return payments;
    },
  };
}
