// The risk table against dynalite: velocity counts each payment once, and the first
// decision stored for a payment is the one every later attempt gets back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbRiskStore, type RiskStore } from "../../../consumers/risk/risk-store";
import { type LocalStack, startLocalStack } from "./local-stack";

let stack: LocalStack;
let store: RiskStore;
beforeAll(async () => {
  stack = await startLocalStack();
  const { tables } = await stack.provision("acme");
  store = dynamoDbRiskStore(stack.documents, tables.risk);
});
afterAll(() => stack.stop());

const WINDOW_S = 3600;
const at = Date.parse("2026-11-27T10:15:00Z");

describe("risk store", () => {
  it("counts a payer's payments per window, each payment once however often it is counted", async () => {
    expect(await store.countPayment("payer-a", "pay_1", at, WINDOW_S)).toBe(1);
    expect(await store.countPayment("payer-a", "pay_2", at + 1000, WINDOW_S)).toBe(2);
    // A redelivery of pay_1 reports the window as it stands, without adding to it.
    expect(await store.countPayment("payer-a", "pay_1", at, WINDOW_S)).toBe(2);
    expect(await store.countPayment("payer-b", "pay_3", at, WINDOW_S)).toBe(1);
    // The next window starts again.
    expect(await store.countPayment("payer-a", "pay_4", at + WINDOW_S * 1000, WINDOW_S)).toBe(1);
  });

  it("keeps the first decision: a repeat with another outcome gets the stored one back", async () => {
    const first = { decision: "APPROVE" as const, score: 10, reasons: [] };
    expect(await store.recordDecision("pay_9", first)).toEqual(first);
    const later = { decision: "REVIEW" as const, score: 70, reasons: ["velocity"] };
    expect(await store.recordDecision("pay_9", later)).toEqual(first);
  });
});
