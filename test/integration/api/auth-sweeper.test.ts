// The authorization sweeper's Lambda entry (consumers/auth-sweeper/handler.ts) against the
// real local servers (DynamoDB, the Kafka-protocol broker, the pipeline's consumers): its
// context built from the environment as on AWS, expired authorizations of every configured
// tenant canceled once with reason `expired`, and a tenant that cannot be swept failing the
// invocation only after the others were swept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweeperDepsFromEnv, sweeperLambda } from "../../../consumers/auth-sweeper/handler";
import { AuthorizationSweepError } from "../../../consumers/auth-sweeper/sweep";
import type { InitiatePaymentInput, Payment } from "../../../core/generated/graphql";
import { randomTestCard } from "../../e2e/cards";
import { type Harness, startHarness } from "../pipeline/harness";
import { cardInput } from "./support";

let h: Harness;
const opened: { disconnect(): Promise<void> }[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await Promise.all(opened.map((publisher) => publisher.disconnect()));
  await h.stop();
});

/** The environment the CDK app gives the function, pointed at the local servers. */
const env = () => ({
  PAYRAIL_ENV: "local",
  PAYRAIL_SECRET: "test-secret",
  PAYRAIL_CONFIG_DIR: "config",
  AWS_ENDPOINT_URL_DYNAMODB: h.endpoints.dynamodb,
  KAFKA_BROKERS: h.bootstrap,
});

const NINE_DAYS_LATER = () => new Date(Date.now() + 9 * 24 * 3_600_000);

/** The handler's own wiring from `env()`, seen from nine days on, with `extraTenants` to sweep. */
const sweeper = (extraTenants: string[] = []) =>
  sweeperLambda(async () => {
    const deps = await sweeperDepsFromEnv(env());
    opened.push(deps.ctx.publisher);
    return { ctx: { ...deps.ctx, now: NINE_DAYS_LATER }, tenantIds: [...deps.tenantIds, ...extraTenants] };
  });

async function authorized(tenantId: string, key: string): Promise<string> {
  const input = {
    ...cardInput(key, "10.00"),
    captureMethod: "MANUAL",
    // globex is in the US region: USD.
    currency: tenantId === "globex" ? "USD" : "EUR",
    // A card of its own: risk's per-payer velocity would send repeats to review.
    payer: { name: "Ada", card: { number: randomTestCard(), expiryMonth: 12, expiryYear: 2030, cvc: "123" } },
  } as InitiatePaymentInput;
  const id = ((await h.initiate(tenantId, input)) as { data: Payment }).data.id;
  await h.waitFor(id, "AUTHORIZED");
  return id;
}

const canceledUpdates = (id: string) =>
  h.updates.filter((u) => u.paymentId === id && u.status === "CANCELED");

describe("auth-sweeper handler", () => {
  it("leaves authorizations within their window alone (the real clock)", async () => {
    const id = await authorized("acme", "sweep-fresh");
    const handler = sweeperLambda(async () => {
      const deps = await sweeperDepsFromEnv(env());
      opened.push(deps.ctx.publisher);
      return deps;
    });
    const summary = await handler({ id: "evt-fresh" });
    expect(summary).toMatchObject({ correlationId: "evt-fresh", tenants: 2, canceled: 0, failedTenants: [] });
    const found = await h.stores.forTenant("acme").payments.get(id);
    expect(found?.payment.status).toBe("AUTHORIZED");
  });

  it("cancels every configured tenant's expired authorizations once, with reason expired", async () => {
    const acme = await authorized("acme", "sweep-acme");
    const globex = await authorized("globex", "sweep-globex");
    const handler = sweeper();
    const first = await handler({ id: "evt-1" });
    expect(first).toMatchObject({ correlationId: "evt-1", tenants: 2, failedTenants: [] });
    // These two and the first test's payment, expired too nine days on.
    expect(first.canceled).toBe(3);
    for (const id of [acme, globex]) {
      const update = await h.waitFor(id, "CANCELED");
      expect(update).toMatchObject({ previousStatus: "AUTHORIZED", reason: "expired" });
    }
    // The next sweep finds nothing more to do and emits nothing.
    await expect(handler({ id: "evt-2" })).resolves.toMatchObject({ canceled: 0, failedTenants: [] });
    const events = await h.stores.forTenant("acme").history.list(acme);
    expect(events.filter((e) => e.type === "PaymentCanceled")).toHaveLength(1);
    expect(canceledUpdates(acme)).toHaveLength(1);
  });

  it("sweeps the other tenants when one cannot be swept, then fails the invocation", async () => {
    const id = await authorized("acme", "sweep-despite");
    // "ghost" has no tables: its sweep fails like a tenant whose role or table is gone.
    const failure = await sweeper(["ghost"])({ id: "evt-3" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthorizationSweepError);
    expect((failure as AuthorizationSweepError).summary).toMatchObject({
      correlationId: "evt-3",
      tenants: 3,
      canceled: 1,
      failedTenants: ["ghost"],
    });
    expect(await h.waitFor(id, "CANCELED")).toMatchObject({ reason: "expired" });
  });
});
