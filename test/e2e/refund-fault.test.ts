// kill -9 of the whole stack in the middle of 200 refunds (10 settled payments, 20
// refunds of 1.00 each), then a restart on the same data directory: the client retries
// what failed with the same idempotency keys, and in the end every payment is REFUNDED
// with exactly its 20 refunds, each requested and answered once — none lost, none
// duplicated.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Kill9Stack, type Outcome, sendAll } from "./kill9";
import { gql } from "./stack";

const PAYMENTS = 10;
const REFUNDS_EACH = 20;
const KILL_AFTER = 60;
const CONCURRENCY = 8;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;
const REFUND = `mutation Refund($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }`;
const STATUS = `query One($id: ID!) { payment(id: $id) { status } }`;

type Refund = { key: string; paymentId: string };

describe("kill -9 of the stack mid-refunds", () => {
  let dir: string;
  let stack: Kill9Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loses and duplicates no refund after a restart and the client's retries", async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-refund-fault-"));
    // A crashed request holds its key this long before a retry may take it over.
    process.env.PAYRAIL_IN_PROGRESS_MS = "2000";
    const faulty = await Kill9Stack.start(dir);
    stack = faulty;
    const first = faulty.live();
    const token = first.info.tenants.acme?.apiToken ?? "";
    const paymentIds: string[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const input = {
        idempotencyKey: `refund-fault-${randomUUID()}`,
        paymentType: "CARD",
        amount: `${REFUNDS_EACH}.00`,
        currency: "EUR",
        payer: {
          name: "Ada",
          card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
        },
      };
      const started = await gql<{ initiatePayment: { id: string } }>(first.info, token, INITIATE, { input });
      paymentIds.push(started.data?.initiatePayment.id ?? "");
    }
    await vi.waitFor(
      async () => {
        for (const id of paymentIds) {
          const read = await gql<{ payment: { status: string } }>(first.info, token, STATUS, { id });
          if (read.data?.payment.status !== "SETTLED") throw new Error(`${id} not settled yet`);
        }
      },
      { timeout: 60_000, interval: 200 },
    );

    const requests: Refund[] = paymentIds.flatMap((paymentId) =>
      Array.from({ length: REFUNDS_EACH }, () => ({ key: `r-${randomUUID()}`, paymentId })),
    );
    const answered = new Map<string, string>(); // key → refund id
    const refused: string[] = [];
    let killed = false;
    const pending = await sendAll(requests, {
      concurrency: CONCURRENCY,
      maxSends: requests.length * 40 + 1000,
      async send(refund): Promise<Outcome> {
        const current = faulty.current;
        if (!current) return "retry";
        const input = {
          paymentId: refund.paymentId,
          amount: "1.00",
          reason: "OTHER",
          idempotencyKey: refund.key,
        };
        const result = await gql<{ refundPayment: { id: string } }>(current.info, token, REFUND, {
          input,
        }).catch(
          () => undefined, // the stack is down or restarting
        );
        const id = result?.data?.refundPayment?.id;
        if (id) {
          // A retried key answers the refund it accepted the first time.
          const earlier = answered.get(refund.key);
          if (earlier !== undefined && earlier !== id) throw new Error(`${refund.key} answered two refunds`);
          answered.set(refund.key, id);
          return "accepted";
        }
        const error = result?.errors?.[0];
        if (error?.errorType !== "ValidationError") return "retry";
        refused.push(`${refund.key}: ${error.message}`);
        return "refused";
      },
      async afterSend() {
        if (killed || answered.size < KILL_AFTER) return;
        killed = true;
        await faulty.kill9AndRestart();
        console.log(`refund fault: killed after ${answered.size} accepted refunds, restarted`);
      },
    });
    expect(killed).toBe(true);
    expect(pending).toEqual([]);
    expect(refused).toEqual([]);
    expect(answered.size).toBe(PAYMENTS * REFUNDS_EACH);
    expect(new Set(answered.values()).size).toBe(PAYMENTS * REFUNDS_EACH);

    const scan = (table: string) => faulty.scan(table);
    type Row = {
      paymentId: string;
      status: string;
      refundableMinor: number;
      refunds: Record<string, { status: string }>;
    };
    const rowsOf = async () =>
      ((await scan("local-acme-payments")) as Row[]).filter((row) => paymentIds.includes(row.paymentId));
    await vi.waitFor(
      async () => {
        const stuck = (await rowsOf()).filter((row) => row.status !== "REFUNDED");
        if (stuck.length > 0) throw new Error(`${stuck.length} payments not REFUNDED yet`);
      },
      { timeout: 120_000, interval: 500 },
    );
    for (const row of await rowsOf()) {
      const refunds = Object.values(row.refunds);
      expect(refunds).toHaveLength(REFUNDS_EACH);
      expect(refunds.every((refund) => refund.status === "SUCCEEDED")).toBe(true);
      expect(row.refundableMinor).toBe(0);
    }
    const history = (await scan("local-acme-payment-events")) as {
      paymentId: string;
      type: string;
      data: { refundId?: string };
    }[];
    for (const paymentId of paymentIds) {
      const events = history.filter((event) => event.paymentId === paymentId);
      for (const type of ["RefundRequested", "RefundSucceeded"]) {
        const ids = events.filter((event) => event.type === type).map((event) => event.data.refundId);
        expect(ids, `${type} of ${paymentId}`).toHaveLength(REFUNDS_EACH);
        expect(new Set(ids).size).toBe(REFUNDS_EACH);
      }
    }
    console.log(`refund fault: ${answered.size} refunds over ${PAYMENTS} payments, all once after kill -9`);
  }, 480_000);
});
