// The risk table against the local DynamoDB: each payment is counted once in its payer's
// window together with its decision (one transaction), the count a decision sees is the
// window's true count even when another process counted meanwhile, and the first decision
// stored for a payment is the one every later attempt gets back.

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbRiskStore } from "../../../consumers/persistence/dynamodb/risk";
import { asWrite } from "../../../consumers/persistence/dynamodb/transaction";
import type { StoredDecision } from "../../../consumers/persistence/ports/risk";
import { type LocalStack, startLocalStack } from "./local-stack";

let stack: LocalStack;
let table: string;
beforeAll(async () => {
  stack = await startLocalStack();
  table = (await stack.provision("acme")).tables.risk;
});
afterAll(() => stack.stop());

const WINDOW_S = 3600;
const at = Date.parse("2026-11-27T10:15:00Z");
const store = () => dynamoDbRiskStore(stack.documents, table);

/** Approves, and notes the velocity count it was asked to decide on. */
function decider(seen: number[]) {
  return (velocityCount: number): StoredDecision => {
    seen.push(velocityCount);
    return { decision: velocityCount > 2 ? "REVIEW" : "APPROVE", score: velocityCount, reasons: [] };
  };
}

const input = (payer: string, paymentId: string, atMs = at) => ({
  payer,
  paymentId,
  atMs,
  windowSeconds: WINDOW_S,
});

describe("risk store", () => {
  it("commits the caller's writes with a new decision, planning them again when they were refused", async () => {
    const risk = store();
    const tables = (await stack.provision("acme")).tables;
    const refusedFlags: boolean[] = [];
    // The first time the caller's write is refused (a condition on an item that is not
    // there: the row moved, say); planned again, it is written with the decision.
    const decision = await risk.assessOnce(
      input("payer-also", "pay_also"),
      decider([]),
      async (_, refused) => {
        refusedFlags.push(refused);
        return [
          asWrite(
            refused
              ? { Put: { TableName: tables.payments, Item: { paymentId: "pay_also", note: "recorded" } } }
              : {
                  ConditionCheck: {
                    TableName: tables.payments,
                    Key: { paymentId: "pay_also_missing" },
                    ConditionExpression: "attribute_exists(paymentId)",
                  },
                },
          ),
        ];
      },
    );
    expect(decision.decision).toBe("APPROVE");
    expect(refusedFlags).toEqual([false, true]);
    const { Item } = await stack.documents.send(
      new GetCommand({ TableName: tables.payments, Key: { paymentId: "pay_also" } }),
    );
    expect(Item).toMatchObject({ note: "recorded" });
    // A repeat finds the decision stored first; what it would have written with it is not.
    const again = await risk.assessOnce(input("payer-also", "pay_also"), decider([]), async () => [
      asWrite({ Put: { TableName: tables.payments, Item: { paymentId: "pay_also_repeat" } } }),
    ]);
    expect(again).toEqual(decision);
    const repeat = await stack.documents.send(
      new GetCommand({ TableName: tables.payments, Key: { paymentId: "pay_also_repeat" } }),
    );
    expect(repeat.Item).toBeUndefined();
  });

  it("counts a payer's payments per window, each payment once, deciding on the count", async () => {
    const risk = store();
    const seen: number[] = [];
    expect(await risk.assessOnce(input("payer-a", "pay_1"), decider(seen))).toMatchObject({ score: 1 });
    expect(await risk.assessOnce(input("payer-a", "pay_2", at + 1000), decider(seen))).toMatchObject({
      score: 2,
    });
    expect(await risk.assessOnce(input("payer-b", "pay_3"), decider(seen))).toMatchObject({ score: 1 });
    // The next window starts again.
    expect(
      await risk.assessOnce(input("payer-a", "pay_4", at + WINDOW_S * 1000), decider(seen)),
    ).toMatchObject({
      score: 1,
    });
    expect(seen).toEqual([1, 2, 1, 1]);
  });

  it("keeps the first decision: a redelivery gets it back and counts nothing", async () => {
    const risk = store();
    const first = await risk.assessOnce(input("payer-c", "pay_10"), decider([]));
    await risk.assessOnce(input("payer-c", "pay_11"), decider([]));
    await risk.assessOnce(input("payer-c", "pay_12"), decider([]));
    // Another process (no remembered counts) sees pay_10 again: the window now holds 3.
    expect(await store().assessOnce(input("payer-c", "pay_10"), decider([]))).toEqual(first);
    const seen: number[] = [];
    expect(await store().assessOnce(input("payer-c", "pay_13"), decider(seen))).toMatchObject({
      decision: "REVIEW",
      score: 4,
    });
    // It guessed an empty window first, then decided on the count it read.
    expect(seen).toEqual([1, 4]);
  });

  it("decides on the true count when another process counted meanwhile", async () => {
    const here = store();
    const there = store();
    await here.assessOnce(input("payer-d", "pay_20"), decider([]));
    await there.assessOnce(input("payer-d", "pay_21"), decider([]));
    const seen: number[] = [];
    // `here` remembers one payment in the window; there are two.
    expect(await here.assessOnce(input("payer-d", "pay_22"), decider(seen))).toMatchObject({ score: 3 });
    expect(seen).toEqual([2, 3]);
  });

  it("lets exactly one of concurrent first attempts for a payment store its decision", async () => {
    const decisions = await Promise.all(
      [1, 2, 3].map((i) =>
        store().assessOnce(input("payer-e", "pay_30"), () => ({
          decision: "APPROVE",
          score: i,
          reasons: [],
        })),
      ),
    );
    expect(new Set(decisions.map((d) => d.score)).size).toBe(1);
  });
});
