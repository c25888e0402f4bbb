// Two whole local stacks (local/start.ts) in one process, each with its own data
// directory and ports: every part is handed its own stack's endpoints, so each serves its
// own tenants and data, and a payment on each settles through its own pipeline.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import { type LocalStack, startLocalStack } from "../../../local/start";

const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
const PAYMENT = `query One($id: ID!) { payment(id: $id) { id status } }`;

type Answer = {
  data?: Record<string, { id: string; status: string } | null>;
  errors?: { errorType?: string }[];
};

async function gql(stack: LocalStack, token: string, query: string, variables: object): Promise<Answer> {
  const response = await fetch(stack.info.endpoints.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

const cardPayment = () => ({
  input: {
    idempotencyKey: randomUUID(),
    amount: "12.50",
    currency: "EUR",
    paymentType: "CARD",
    payer: {
      name: "Ann",
      card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
    },
  },
});

/** Resolves when the stack's own broker carries PaymentSettled for the payment. */
async function settledOn(stack: LocalStack, paymentId: string): Promise<void> {
  const consumer = kafkaClient({ brokers: [stack.info.endpoints.kafka], clientId: "two-stacks" }).consumer({
    groupId: `two-stacks-${randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: "payments.settled", fromBeginning: true });
    await new Promise<void>((settled, failed) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const event = JSON.parse(message.value?.toString() ?? "{}") as {
              type?: string;
              paymentId?: string;
            };
            if (event.type === "PaymentSettled" && event.paymentId === paymentId) settled();
          },
        })
        .catch(failed);
    });
  } finally {
    await consumer.disconnect();
  }
}

const dirs: string[] = [];
let first: LocalStack;
let second: LocalStack;

beforeAll(async () => {
  const start = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "payrail-two-stacks-"));
    dirs.push(dataDir);
    return startLocalStack({
      dataDir,
      memory: false,
      configDir: resolve("config"),
      ports: { graphql: 0, kafka: 0, dynamodb: 0, s3: 0 },
    });
  };
  [first, second] = await Promise.all([start(), start()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

it("runs two stacks on their own ports, each serving its own tenants and data", async () => {
  const endpoints = [first, second].map((stack) => stack.info.endpoints);
  for (const name of ["graphql", "kafka", "dynamodb", "s3"] as const) {
    expect(endpoints[0]?.[name]).not.toBe(endpoints[1]?.[name]);
  }
  const token = (stack: LocalStack) => stack.info.tenants.acme?.apiToken ?? "";
  expect(token(first)).not.toBe(token(second));

  const started = await Promise.all(
    [first, second].map(async (stack) => {
      const answer = await gql(stack, token(stack), INITIATE, cardPayment());
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.initiatePayment?.status).toBe("INITIATED");
      return answer.data?.initiatePayment?.id ?? "";
    }),
  );
  const [firstId = "", secondId = ""] = started;

  // Each stack's authorizer and API read its own DynamoDB: its own token, its own payment.
  expect((await gql(first, token(first), PAYMENT, { id: firstId })).data?.payment?.id).toBe(firstId);
  expect((await gql(second, token(second), PAYMENT, { id: secondId })).data?.payment?.id).toBe(secondId);
  const elsewhere = await gql(second, token(second), PAYMENT, { id: firstId });
  expect(elsewhere.errors).toBeUndefined();
  expect(elsewhere.data?.payment).toBeNull();
  expect((await gql(second, token(first), PAYMENT, { id: firstId })).errors?.[0]?.errorType).toBe(
    "UnauthorizedException",
  );

  // And each payment settles through its own stack's pipeline.
  await Promise.all([settledOn(first, firstId), settledOn(second, secondId)]);
}, 60_000);
