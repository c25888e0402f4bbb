// kill -9 of the whole stack while webhooks are being delivered, then a restart on the same
// data directory: the receiver (in this process, so it survives) ends up with every event of
// every accepted payment, and no event more than twice (at-least-once: an attempt caught by
// the kill is sent again after its lease, with the same Payrail-Event-Id).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { type Received, type Receiver, startReceiver } from "../integration/webhooks/receiver";
import { loadPayment } from "./cards";
import { gql, type RunningStack, startStack } from "./stack";

const N = 40;
const KILL_AFTER_DELIVERIES = 40;
const CONCURRENCY = 4;
const TERMINAL = new Set(["SETTLED", "DECLINED", "FAILED"]);
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;
const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { id } }`;

/** Every event of the payment from 1 to a terminal one has arrived. */
function complete(events: Received[]): boolean {
  const sequences = new Set(events.map((r) => r.event.sequence));
  const last = events.find((r) => TERMINAL.has(String(r.event.data.status)));
  if (!last) return false;
  for (let s = 1; s <= last.event.sequence; s++) if (!sequences.has(s)) return false;
  return true;
}

describe("kill -9 of the stack mid-delivery", () => {
  let dir: string;
  let stack: RunningStack | undefined;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loses no delivery and sends no event more than twice", async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-webhooks-fault-"));
    stack = await startStack(dir);
    const token = () => stack?.info.tenants.acme?.apiToken ?? "";
    let killing: Promise<void> | undefined;
    receiver = await startReceiver((_r, index) => {
      // Kill while POSTs are in flight: this one is answered, others are caught mid-way.
      if (index + 1 === KILL_AFTER_DELIVERIES && stack) {
        const victim = stack;
        stack = undefined;
        killing = victim.kill9().then(async () => {
          stack = await startStack(dir);
        });
      }
      return 200;
    });
    const created = await gql(stack.info, token(), CREATE, { i: { url: receiver.url, eventTypes: ["*"] } });
    expect(created.errors).toBeUndefined();

    const pending = Array.from({ length: N }, loadPayment);
    const accepted = new Set<string>();
    const worker = async () => {
      for (let input = pending.shift(); input; input = pending.shift()) {
        const current = stack;
        const answer = current
          ? await gql<{ initiatePayment: { id: string } }>(current.info, token(), INITIATE, { input }).catch(
              () => undefined,
            )
          : undefined;
        if (answer?.data?.initiatePayment?.id) accepted.add(input.idempotencyKey);
        else {
          pending.push(input); // the same key again once the stack is back
          await (killing ?? Promise.resolve());
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // Deliveries may lag the initiations: the kill comes with the KILL_AFTER_DELIVERIES-th POST.
    await vi.waitFor(() => expect(killing).toBeDefined(), { timeout: 60_000, interval: 50 });
    await killing;
    expect(accepted.size).toBe(N);

    // Wait for the receiver to hold every accepted payment's events, start to terminal.
    const keyOf = (r: Received) => String(r.event.data.idempotencyKey ?? "");
    const done = () => {
      const payments = new Map<string, Received[]>();
      for (const r of receiver?.received ?? [])
        payments.set(r.event.paymentId, [...(payments.get(r.event.paymentId) ?? []), r]);
      const byKey = new Map(
        [...payments.values()].flatMap((events) => {
          const initiated = events.find((r) => r.event.sequence === 1);
          return initiated ? [[keyOf(initiated), events] as const] : [];
        }),
      );
      return [...accepted].every((key) => {
        const events = byKey.get(key);
        return events !== undefined && complete(events);
      });
    };
    await receiver.next(() => done());

    const times = new Map<string, number>();
    for (const r of receiver.received) {
      const id = String(r.headers["payrail-event-id"]);
      times.set(id, (times.get(id) ?? 0) + 1);
    }
    console.log(
      `webhooks fault: ${receiver.received.length} POSTs for ${times.size} events, ${[...times.values()].filter((n) => n > 1).length} sent twice`,
    );
    expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
  }, 240_000);
});
