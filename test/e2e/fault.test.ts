// kill -9 of the whole stack in the middle of a stream of payments, then a restart on the
// same data directory: clients retry what failed with the same idempotency keys, and in
// the end every payment is terminal exactly once in its history — none lost, none
// duplicated.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPayment } from "./cards";
import { Kill9Stack, type Outcome, sendAll } from "./kill9";
import { gql, type RunningStack } from "./stack";

const N = 1000;
const KILL_AFTER = 300;
const CONCURRENCY = 16;
const TERMINAL = new Set(["SETTLED", "DECLINED", "FAILED"]);
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;

async function send(stack: RunningStack, input: ReturnType<typeof loadPayment>): Promise<Outcome> {
  try {
    const token = stack.info.tenants.acme?.apiToken ?? "";
    const result = await gql<{ initiatePayment: { id: string } }>(stack.info, token, INITIATE, { input });
    if (result.data?.initiatePayment?.id) return "accepted";
    // A deterministic refusal (a validation error) stays one; anything else is retried.
    return result.errors?.[0]?.errorType === "ValidationError" ? "refused" : "retry";
  } catch {
    return "retry"; // the stack is down or restarting
  }
}

describe("kill -9 of the stack mid-stream", () => {
  let dir: string;
  let stack: Kill9Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    if (dir && !process.env.KEEP_FAULT_DIR) await rm(dir, { recursive: true, force: true });
    if (dir) console.log("fault dir", dir);
  });

  it("ends with every accepted payment terminal exactly once after restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-fault-"));
    // A crashed initiation holds its key this long before a retry may take it over.
    process.env.PAYRAIL_IN_PROGRESS_MS = "2000";
    const faulty = await Kill9Stack.start(dir);
    stack = faulty;
    const accepted = new Set<string>();
    let refused = 0;
    let killed = false;

    const pending = await sendAll(Array.from({ length: N }, loadPayment), {
      concurrency: CONCURRENCY,
      maxSends: N * 20,
      async send(input) {
        const outcome = faulty.current ? await send(faulty.current, input) : "retry";
        if (outcome === "accepted") accepted.add(input.idempotencyKey);
        else if (outcome === "refused") refused++;
        return outcome;
      },
      async afterSend() {
        if (killed || accepted.size < KILL_AFTER) return;
        killed = true;
        const restartMs = await faulty.kill9AndRestart();
        console.log(`fault: killed after ${accepted.size} accepted, restarted in ${restartMs} ms`);
      },
    });
    console.log(`fault: ${accepted.size} accepted, ${refused} refused, ${pending.length} left`);
    expect(killed).toBe(true);
    expect(pending).toEqual([]);
    expect(accepted.size + refused).toBe(N);
    expect(refused).toBeLessThan(N / 20);

    const scan = (table: string) => faulty.scan(table);
    let payments: Record<string, unknown>[] = [];
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      payments = await scan("local-acme-payments");
      const ours = payments.filter((p) => accepted.has(String(p.idempotencyKey)));
      if (ours.length === accepted.size && ours.every((p) => TERMINAL.has(String(p.status)))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const ours = payments.filter((p) => accepted.has(String(p.idempotencyKey)));
    console.log(
      `fault: ${ours.length}/${accepted.size} found, ${ours.filter((p) => TERMINAL.has(String(p.status))).length} terminal`,
    );
    for (const stuck of ours.filter((p) => !TERMINAL.has(String(p.status)))) {
      console.log(
        `fault: ${String(stuck.paymentId)} stuck at ${String(stuck.status)} (sequence ${String(stuck.sequence)})`,
      );
    }
    expect(ours).toHaveLength(accepted.size);
    expect(new Set(ours.map((p) => p.idempotencyKey)).size).toBe(accepted.size);
    expect(ours.filter((p) => !TERMINAL.has(String(p.status))).map((p) => p.status)).toEqual([]);

    const history = await scan("local-acme-payment-events");
    const byPayment = new Map<string, { type: string; sequence: number; data: { status: string } }[]>();
    for (const event of history as {
      paymentId: string;
      type: string;
      sequence: number;
      data: { status: string };
    }[]) {
      byPayment.set(event.paymentId, [...(byPayment.get(event.paymentId) ?? []), event]);
    }
    for (const payment of ours) {
      const events = byPayment.get(String(payment.paymentId)) ?? [];
      const terminal = events.filter((e) => TERMINAL.has(e.data.status));
      expect(terminal, `terminal events of ${payment.paymentId}`).toHaveLength(1);
      expect(terminal[0]?.data.status).toBe(payment.status);
      expect(events.filter((e) => e.type === "PaymentInitiated")).toHaveLength(1);
    }
    console.log(
      `fault: ${accepted.size} payments accepted (${refused} refused at ingress), stack killed after ${KILL_AFTER}; all terminal once`,
    );
  }, 480_000);
});
