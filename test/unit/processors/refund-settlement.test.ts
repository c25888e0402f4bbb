// Bank refunds settle a settlement day later: the arithmetic over the personality, the
// config that sets it (and refuses a bad value), the local fast-forward, and the sandbox
// banks answering PENDING until the day is over, then the refund's own answer.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRefundDue } from "../../../consumers/auth-sweeper/refunds";
import type { RefundRecord } from "../../../consumers/persistence/ports/payments";
import { loadConfig } from "../../../core/config";
import {
  fastForwardRefundSettlement,
  isRefundSettled,
  type Personality,
  type Processor,
  type RefundRequest,
  refundSettlementMs,
  refundSettlesAt,
  refundsBeforeSettlement,
  sandboxProcessors,
  type Wait,
} from "../../../core/processors";

const config = await loadConfig("config");
const personalities = config.routing.personalities;
const personality = (name: string) => personalities.get(name) as Personality;
const DAY = 24 * 3_600_000;
const BANKS = ["sepa_nordbank_sandbox", "sepa_sudbank_sandbox", "ach_lakeside_sandbox", "ach_harbor_sandbox"];
const AT_ONCE = [
  "stripe_sandbox",
  "adyen_sandbox",
  "checkout_sandbox",
  "pix_sandbox",
  "upi_sandbox",
  "fps_sandbox",
];

const instant: Wait = (_ms, signal) => Promise.resolve(!signal.aborted);

describe("refund settlement arithmetic", () => {
  it("bank rails settle refunds a day later and refuse refunds before settlement; the others do neither", () => {
    for (const name of BANKS) {
      expect(refundSettlementMs(personality(name)), name).toBe(DAY);
      expect(refundsBeforeSettlement(personality(name)), name).toBe(false);
    }
    for (const name of AT_ONCE) {
      expect(refundSettlementMs(personality(name)), name).toBe(0);
      expect(refundsBeforeSettlement(personality(name)), name).toBe(true);
    }
    // A personality built without the fields (tests, benches) answers at once and allows it.
    expect(refundSettlementMs(undefined)).toBe(0);
    expect(refundsBeforeSettlement(undefined)).toBe(true);
  });

  it("is settled exactly when the delay has passed", () => {
    const sepa = personality("sepa_nordbank_sandbox");
    const requestedAt = new Date("2026-12-03T10:00:00.000Z");
    expect(refundSettlesAt(sepa, requestedAt).toISOString()).toBe("2026-12-04T10:00:00.000Z");
    expect(isRefundSettled(sepa, requestedAt, new Date("2026-12-04T09:59:59.999Z"))).toBe(false);
    expect(isRefundSettled(sepa, requestedAt, new Date("2026-12-04T10:00:00.000Z"))).toBe(true);
    expect(isRefundSettled(personality("stripe_sandbox"), requestedAt, requestedAt)).toBe(true);
  });

  it("the local fast-forward shortens every delay to the knob's and leaves the immediate rails alone", () => {
    const forwarded = fastForwardRefundSettlement(personalities, 5_000);
    for (const name of BANKS) expect(refundSettlementMs(forwarded.get(name)), name).toBe(5_000);
    for (const name of AT_ONCE) expect(forwarded.get(name), name).toBe(personalities.get(name));
    // The configured personalities are unchanged.
    expect(refundSettlementMs(personality("sepa_nordbank_sandbox"))).toBe(DAY);
  });

  it("a bad value in processors.yaml fails loading with the file and field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "payrail-config-"));
    await cp("config", dir, { recursive: true });
    const file = join(dir, "processors.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("refundSettlementHours: 24", "refundSettlementHours: -1"));
    await expect(loadConfig(dir)).rejects.toThrow(/processors\.sepa_nordbank_sandbox\.refundSettlementHours/);
    await writeFile(
      file,
      text.replace("    refundBeforeSettlement: false", "    refundBeforeSettlement: no"),
    );
    await expect(loadConfig(dir)).rejects.toThrow(
      /processors\.sepa_nordbank_sandbox\.refundBeforeSettlement/,
    );
  });
});

describe("the sandbox banks' refunds", () => {
  const requestedAt = new Date("2026-12-03T10:00:00.000Z");
  let clock = requestedAt.getTime();
  const processors = sandboxProcessors(personalities, instant, { now: () => new Date(clock) });
  const refund = (
    minor: bigint,
    paymentType: RefundRequest["paymentType"] = "SEPA_CREDIT",
  ): RefundRequest => ({
    tenantId: "acme",
    paymentId: `pay_${minor}`,
    correlationId: "corr-r",
    paymentType,
    amount: { minor, currency: "EUR" },
    payer: { name: "Ann" },
    payee: null,
    reference: null,
    attempt: 1,
    processorReference: "ref",
    requestedAt: requestedAt.toISOString(),
  });
  const options = (key: string) => ({ idempotencyKey: key, signal: new AbortController().signal });

  it("answers PENDING until the settlement day is over, then succeeds, or fails refund_failed for .77", async () => {
    const bank = processors.get("sepa_nordbank_sandbox") as Processor;
    clock = requestedAt.getTime();
    expect(await bank.refund(refund(500n), options("r-500"))).toMatchObject({
      class: "PENDING",
      settlesAt: "2026-12-04T10:00:00.000Z",
    });
    expect(await bank.refund(refund(577n), options("r-577"))).toMatchObject({ class: "PENDING" });
    clock = requestedAt.getTime() + DAY - 1;
    expect((await bank.refund(refund(500n), options("r-500"))).class).toBe("PENDING");
    clock = requestedAt.getTime() + DAY;
    const settled = await bank.refund(refund(500n), options("r-500"));
    expect(settled.class).toBe("APPROVED");
    expect(await bank.refund(refund(577n), options("r-577"))).toMatchObject({
      class: "SOFT_DECLINE",
      code: "refund_failed",
    });
    // Answered for good: the same key repeats it.
    expect(await bank.refund(refund(500n), options("r-500"))).toEqual(settled);
  });

  it("a bank that forgot the refund (a restart) still settles it from when it was asked for", async () => {
    clock = requestedAt.getTime() + DAY;
    const fresh = sandboxProcessors(personalities, instant, { now: () => new Date(clock) });
    const bank = fresh.get("ach_harbor_sandbox") as Processor;
    expect((await bank.refund(refund(500n, "ACH"), options("r-ach"))).class).toBe("APPROVED");
  });

  it("a card processor answers a refund at once", async () => {
    clock = requestedAt.getTime();
    const stripe = processors.get("stripe_sandbox") as Processor;
    expect((await stripe.refund(refund(500n, "CARD"), options("r-card"))).class).toBe("APPROVED");
  });
});

describe("when the sweeper asks again", () => {
  const requested = "2026-12-03T10:00:00.000Z";
  const refund: RefundRecord = {
    refundId: "ref_1",
    amountMinor: "500",
    currency: "EUR",
    status: "PENDING",
    reason: "OTHER",
    sequence: 5,
    eventId: "e",
    principal: "p",
    createdAt: requested,
    updatedAt: requested,
  };
  const at = (ms: number) => new Date(Date.parse(requested) + ms);
  const windowBefore = (now: Date) => new Date(now.getTime() - 30_000).toISOString();
  const due = (r: RefundRecord, name: string, now: Date) =>
    isRefundDue(r, personality(name), now, windowBefore(now));

  it("a bank refund once its settlement day is over, and not again within the window", () => {
    expect(due(refund, "sepa_nordbank_sandbox", at(DAY - 1))).toBe(false);
    expect(due(refund, "sepa_nordbank_sandbox", at(DAY))).toBe(true);
    const asked = { ...refund, askedAt: at(DAY).toISOString() };
    expect(due(asked, "sepa_nordbank_sandbox", at(DAY + 29_999))).toBe(false);
    expect(due(asked, "sepa_nordbank_sandbox", at(DAY + 30_001))).toBe(true);
    expect(due({ ...refund, status: "SUCCEEDED" }, "sepa_nordbank_sandbox", at(2 * DAY))).toBe(false);
  });

  it("a card refund only when it was asked for before settlement, once its request's window passed", () => {
    expect(due(refund, "stripe_sandbox", at(DAY))).toBe(false);
    const early = { ...refund, beforeSettlement: true };
    expect(due(early, "stripe_sandbox", at(29_999))).toBe(false);
    expect(due(early, "stripe_sandbox", at(30_001))).toBe(true);
  });
});
