// Signed webhooks against the whole local stack (local/start.ts, in memory) and real HTTP
// receivers on 127.0.0.1: every event of a payment once, in order, signed; retries with the
// attempt number; a hanging endpoint holds back neither another endpoint nor settlement;
// secret rotation; the SSRF rules and tenant isolation of the API.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../../local/start";
import { type Received, type Receiver, startReceiver, verifyingSignatures } from "./receiver";

type Answer = {
  data?: Record<string, unknown>;
  errors?: { errorType?: string; message: string; errorInfo?: { field?: string } }[];
};

/** The named root field of a successful answer. */
function field<T>(answer: Answer, name: string): T {
  const value = answer.data?.[name];
  if (value === undefined || value === null) throw new Error(`no ${name} in ${JSON.stringify(answer)}`);
  return value as T;
}

let stack: LocalStack;
let dataDir: string;
const receivers: Receiver[] = [];

async function gql(query: string, variables: object = {}, tenant = "acme"): Promise<Answer> {
  const response = await fetch(stack.info.endpoints.graphql, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: stack.info.tenants[tenant]?.apiToken ?? "",
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

const ENDPOINT_FIELDS = "id url eventTypes enabled status secret activeSecrets";

async function createEndpoint(url: string, eventTypes = ["*"]) {
  const answer = await gql(
    `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { ${ENDPOINT_FIELDS} } }`,
    { i: { url, eventTypes, description: "test" } },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data?.createWebhookEndpoint as { id: string; secret: string; activeSecrets: number };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

async function pay(amount = "12.50"): Promise<string> {
  const answer = await gql("mutation($i: InitiatePaymentInput!) { initiatePayment(input: $i) { id } }", {
    i: {
      idempotencyKey: randomUUID(),
      amount,
      currency: "EUR",
      paymentType: "CARD",
      payer: {
        name: "Ann",
        card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
      },
    },
  });
  expect(answer.errors).toBeUndefined();
  return field<{ id: string }>(answer, "initiatePayment").id;
}

const settledOf = (paymentId: string) => (r: Received) =>
  r.event.paymentId === paymentId && r.event.type === "PaymentSettled";

async function deliveries(endpointId: string) {
  const answer = await gql(
    `query($e: ID!) { webhookDeliveries(endpointId: $e, limit: 100) { items { id eventId paymentId sequence status createdAt attempts { attempt statusCode } } nextToken } }`,
    { e: endpointId },
  );
  expect(answer.errors).toBeUndefined();
  return field<{
    items: {
      id: string;
      paymentId: string;
      sequence: number;
      status: string;
      createdAt: string;
      attempts: { attempt: number; statusCode: number | null }[];
    }[];
  }>(answer, "webhookDeliveries").items;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "payrail-webhooks-"));
  stack = await startLocalStack({
    dataDir,
    memory: true,
    configDir: resolve("config"),
    ports: { graphql: 0, kafka: 0, dynamodb: 0, s3: 0 },
  });
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("delivery", () => {
  it("POSTs every event of a payment once, in sequence order, signed with the endpoint's secret", async () => {
    const partner = await receiver();
    const endpoint = await createEndpoint(partner.url);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const paymentId = await pay();
    await partner.next(settledOf(paymentId));

    const mine = partner.received.filter((r) => r.event.paymentId === paymentId);
    expect(mine.map((r) => [r.event.sequence, r.event.type])).toEqual([
      [1, "PaymentInitiated"],
      [2, "PaymentRiskAssessed"],
      [3, "PaymentExecuted"],
      [4, "PaymentSettled"],
    ]);
    for (const r of mine) {
      expect(verifyingSignatures(String(r.headers["payrail-signature"]), r.body, endpoint.secret)).toBe(1);
      expect(r.headers["payrail-event-id"]).toBe(r.event.eventId);
      expect(r.headers["payrail-event-type"]).toBe(r.event.type);
      expect(r.attempt).toBe(1);
      // Masked identifiers only: no card number, no vault token.
      expect(r.body).not.toMatch(/4242424242424242|tok_/);
    }
    expect(
      verifyingSignatures(
        String(mine[0]?.headers["payrail-signature"]),
        `${mine[0]?.body} `,
        endpoint.secret,
      ),
    ).toBe(0);

    const log = (await deliveries(endpoint.id)).filter((d) => d.paymentId === paymentId);
    // Newest recorded first; the four events come from four topics' mappings, each with its
    // own batching window, so they may be recorded in any order (they are POSTed in sequence).
    const recorded = log.map((d) => d.createdAt);
    expect(recorded).toEqual([...recorded].sort().reverse());
    const bySequence = [...log].sort((a, b) => a.sequence - b.sequence);
    expect(bySequence.map((d) => [d.sequence, d.status, d.attempts.map((a) => a.statusCode)])).toEqual([
      [1, "SUCCEEDED", [200]],
      [2, "SUCCEEDED", [200]],
      [3, "SUCCEEDED", [200]],
      [4, "SUCCEEDED", [200]],
    ]);
  });

  it("retries a receiver that answers 500 twice: the third attempt carries Payrail-Delivery-Attempt: 3", async () => {
    const tries = new Map<string, number>();
    const flaky = await receiver((r) => {
      const n = (tries.get(r.event.eventId) ?? 0) + 1;
      tries.set(r.event.eventId, n);
      return n <= 2 ? 500 : 200;
    });
    const endpoint = await createEndpoint(flaky.url, ["PaymentSettled"]);
    const paymentId = await pay();
    const third = await flaky.next((r) => settledOf(paymentId)(r) && r.attempt === 3);
    const attempts = flaky.received.filter(settledOf(paymentId));
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((r) => r.headers["payrail-event-id"]))).toEqual(
      new Set([third.headers["payrail-event-id"]]),
    );
    // Only PaymentSettled was subscribed to.
    expect(flaky.received.every((r) => r.event.type === "PaymentSettled")).toBe(true);
    const [delivery] = (await deliveries(endpoint.id)).filter((d) => d.paymentId === paymentId);
    // The third POST was answered; its log entry follows the answer, so wait for that write.
    let logged = delivery;
    while (logged?.status === "PENDING")
      [logged] = (await deliveries(endpoint.id)).filter((d) => d.paymentId === paymentId);
    expect(logged?.status).toBe("SUCCEEDED");
    expect(logged?.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it("a hanging endpoint delays neither another endpoint nor the payment's settlement", async () => {
    const hanging = await receiver(() => "hang");
    const healthy = await receiver();
    await createEndpoint(hanging.url);
    await createEndpoint(healthy.url);
    const paymentId = await pay();
    await hanging.next((r) => r.event.paymentId === paymentId);
    await healthy.next(settledOf(paymentId));
    const payment = await gql("query($id: ID!) { payment(id: $id) { status } }", { id: paymentId });
    expect(payment.data?.payment).toEqual({ status: "SETTLED" });
    expect(
      healthy.received.filter((r) => r.event.paymentId === paymentId).map((r) => r.event.sequence),
    ).toEqual([1, 2, 3, 4]);
    // The hanging endpoint still holds the payment's first event: its later events wait behind it.
    expect(
      hanging.received.filter((r) => r.event.paymentId === paymentId).map((r) => r.event.sequence),
    ).toEqual([1]);
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the overlap and only with the new one after it", async () => {
    const partner = await receiver();
    const endpoint = await createEndpoint(partner.url, ["PaymentSettled"]);
    const rotate = async (hours: number) => {
      const answer = await gql(
        `mutation($id: ID!, $h: Int!) { rotateWebhookSecret(id: $id, expiresCurrentInHours: $h) { ${ENDPOINT_FIELDS} } }`,
        { id: endpoint.id, h: hours },
      );
      expect(answer.errors).toBeUndefined();
      return answer.data?.rotateWebhookSecret as { secret: string; activeSecrets: number };
    };
    const overlapping = await rotate(24);
    expect(overlapping.activeSecrets).toBe(2);
    const during = await partner.next(settledOf(await pay()));
    const header = String(during.headers["payrail-signature"]);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyingSignatures(header, during.body, endpoint.secret)).toBe(1);
    expect(verifyingSignatures(header, during.body, overlapping.secret)).toBe(1);

    const ended = await rotate(0);
    expect(ended.activeSecrets).toBe(1);
    const after = await partner.next(settledOf(await pay()));
    const afterHeader = String(after.headers["payrail-signature"]);
    expect(verifyingSignatures(afterHeader, after.body, ended.secret)).toBe(1);
    expect(verifyingSignatures(afterHeader, after.body, overlapping.secret)).toBe(0);
    expect(verifyingSignatures(afterHeader, after.body, endpoint.secret)).toBe(0);

    const listed = await gql(`{ webhookEndpoints { id secret } }`);
    expect(listed.data?.webhookEndpoints).toContainEqual({ id: endpoint.id, secret: null });
  });
});

describe("API rules", () => {
  it("refuses SSRF URLs with a ValidationError on input.url", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::ffff:169.254.169.254]/",
      "https://10.0.0.8/hooks",
      "https://192.168.1.20/hooks",
      "http://hooks.example.com/",
      "file:///etc/passwd",
    ]) {
      const answer = await gql(
        "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { id } }",
        { i: { url, eventTypes: ["*"] } },
      );
      expect(answer.errors?.[0], url).toMatchObject({
        errorType: "ValidationError",
        errorInfo: { field: "input.url" },
      });
    }
  });

  it("shows another tenant's endpoint and delivery as NotFound", async () => {
    const partner = await receiver();
    const endpoint = await createEndpoint(partner.url, ["PaymentInitiated"]);
    const paymentId = await pay();
    await partner.next((r) => r.event.paymentId === paymentId);
    const [delivery] = await deliveries(endpoint.id);
    for (const [query, variables] of [
      ["mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }", { id: endpoint.id }],
      [
        "mutation($id: ID!) { rotateWebhookSecret(id: $id, expiresCurrentInHours: 1) { id } }",
        { id: endpoint.id },
      ],
      ["query($id: ID!) { webhookDeliveries(endpointId: $id) { nextToken } }", { id: endpoint.id }],
      ["mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }", { id: delivery?.id }],
    ] as const) {
      const answer = await gql(query, variables, "globex");
      expect(answer.errors?.[0]?.errorType, query).toBe("NotFound");
    }
    const globexEndpoints = await gql("{ webhookEndpoints { id } }", {}, "globex");
    expect(globexEndpoints.data?.webhookEndpoints).toEqual([]);
  });

  it("redeliverWebhook sends a delivered event again with the next attempt number", async () => {
    const partner = await receiver();
    const endpoint = await createEndpoint(partner.url, ["PaymentInitiated"]);
    const paymentId = await pay();
    const first = await partner.next((r) => r.event.paymentId === paymentId);
    let [delivery] = (await deliveries(endpoint.id)).filter((d) => d.paymentId === paymentId);
    // The first attempt's answer is logged just after it arrives; redeliver once it is.
    while (delivery?.status !== "SUCCEEDED")
      [delivery] = (await deliveries(endpoint.id)).filter((d) => d.paymentId === paymentId);
    const answer = await gql("mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }", {
      id: delivery?.id,
    });
    expect(answer.data?.redeliverWebhook).toEqual({ id: delivery?.id, status: "PENDING" });
    const again = await partner.next((r) => r.event.paymentId === paymentId && r.attempt === 2);
    expect(again.headers["payrail-event-id"]).toBe(first.headers["payrail-event-id"]);
  });
});
