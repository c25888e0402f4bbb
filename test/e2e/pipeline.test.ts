// Payrail end to end, as a partner sees it: the whole stack from `npm start` in a child
// process, the unmodified aws-amplify client subscribing and initiating over the
// emulator, payments flowing through Kafka and the consumers, plus the operations and
// safety properties around that: idempotency, tenant isolation, DLQ + replay, and no card
// number anywhere at rest, in flight or in the logs.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { kafkaClient } from "../../consumers/platform/kafka-client";
import { loadConfig } from "../../core/config";
import { listDeadLetters } from "../../local/esm/dlq";
import { drainTopic } from "../../local/esm/drain";
import { pipelineGroups, waitForCommittedOffsets } from "../support/consumer-groups";
import { subscriptionAck } from "../support/subscription-ack";
import { type AmplifyClient, connectAmplify, gql, type RunningStack, startStack } from "./stack";

const run = promisify(execFile);
const WATCH = `subscription Watch($paymentId: ID) {
  onPaymentUpdated(paymentId: $paymentId) { tenantId paymentId status sequence correlationId reason }
}`;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
const PAYMENT = `query One($id: ID!) { payment(id: $id) { id status } }`;
const LIST = `query All { payments(limit: 100) { items { id } } }`;
const EVENTS = `query Events($id: ID!) { paymentEvents(paymentId: $id) { type sequence } }`;
const APPROVE = `mutation Approve($id: ID!) { approvePayment(id: $id, reason: "checked") { id status } }`;
const DECLINE = `mutation Decline($id: ID!) { declinePayment(id: $id, reason: "suspicious") { id status } }`;

const CARDS = {
  ok: "4242424242424242",
  // Sandbox: insufficient_funds. (4000000000000002's payer fingerprint under the local
  // secret happens to contain a Luhn-valid digit run, which core's guard refuses; reported.)
  declined: "4000000000009995",
  visa: "4111111111111111",
};

type Update = {
  tenantId: string;
  paymentId: string;
  status: string;
  sequence: number;
  correlationId: string;
  reason: string | null;
};

let stack: RunningStack;
let dir: string;
let client: AmplifyClient;
const updates: Update[] = [];
let acme: string;
let globex: string;

const payment = (amount: string, number = CARDS.ok, currency = "EUR") => ({
  idempotencyKey: `e2e-${randomUUID()}`,
  paymentType: "CARD",
  amount,
  currency,
  payer: {
    name: "Ada Lovelace",
    country: "DE",
    card: { number, expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
});

/** As a client does: a failure that says "retry with the same idempotency key" is retried. */
async function initiate(token: string, input: Record<string, unknown>): Promise<string> {
  let errors: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await gql<{ initiatePayment: { id: string } }>(stack.info, token, INITIATE, { input });
    const id = result.data?.initiatePayment?.id;
    if (id) return id;
    errors = result.errors;
    const failures = stack
      .output()
      .split("\n")
      .filter((l) => l.includes('"level":"ERROR"'));
    console.warn("initiatePayment failed, retrying:", JSON.stringify(errors), failures.slice(-3).join("\n"));
  }
  throw new Error(`initiatePayment failed: ${JSON.stringify(errors)}`);
}

/** Subscribes as `token` and resolves once the emulator acknowledged it (its `start_ack`). */
async function subscribe(
  token: string,
  variables: Record<string, unknown>,
  sink: Update[],
): Promise<{ unsubscribe(): void }> {
  const acked = subscriptionAck(variables);
  const observable = client.graphql({ query: WATCH, variables, authToken: token }) as unknown as {
    subscribe(o: object): { unsubscribe(): void };
  };
  const subscription = observable.subscribe({
    next: (message: { data: { onPaymentUpdated: Update } }) => sink.push(message.data.onPaymentUpdated),
    error: () => undefined,
  });
  await acked;
  return subscription;
}

/** Resolves with the probe's first defined value; fails naming `what` after `timeoutMs`. */
const until = <T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000) =>
  vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 50 },
  );

const statusesOf = (id: string) => updates.filter((u) => u.paymentId === id).map((u) => u.status);
const reached = (id: string, status: string) =>
  until(() => updates.find((u) => u.paymentId === id && u.status === status), `${id} to reach ${status}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-e2e-"));
  stack = await startStack(dir, { memory: true });
  acme = stack.info.tenants.acme?.apiToken ?? "";
  globex = stack.info.tenants.globex?.apiToken ?? "";
  client = await connectAmplify(stack.info);
  await subscribe(acme, {}, updates);
  // The subscription is live once a payment started after it is seen settling.
  const warmUp = await initiate(acme, payment("1.00"));
  await until(
    () => (statusesOf(warmUp).includes("SETTLED") ? true : undefined),
    "the warm-up payment",
    20_000,
  );
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("payments end to end over aws-amplify", () => {
  it("streams INITIATED → RISK_APPROVED → EXECUTED → SETTLED with the client's correlation id", async () => {
    const correlationId = `client-${randomUUID()}`;
    const id = await initiate(acme, { ...payment("12.50"), correlationId });
    await reached(id, "SETTLED");
    expect(statusesOf(id)).toEqual(["INITIATED", "RISK_APPROVED", "EXECUTED", "SETTLED"]);
    for (const update of updates.filter((u) => u.paymentId === id)) {
      expect(update).toMatchObject({ tenantId: "acme", correlationId });
    }
    expect(stack.output()).toContain(correlationId);
  });

  it("declines over the limit, fails a declined card, and continues reviewed payments", async () => {
    const declined = await initiate(acme, payment("20000.00"));
    const failed = await initiate(acme, payment("10.00", CARDS.declined));
    const approved = await initiate(acme, payment("1500.00"));
    const rejected = await initiate(acme, payment("1600.00"));
    await reached(declined, "DECLINED");
    await reached(failed, "FAILED");
    await reached(approved, "IN_REVIEW");
    await reached(rejected, "IN_REVIEW");
    expect(statusesOf(failed)).toEqual(["INITIATED", "RISK_APPROVED", "FAILED"]);

    const approval = await gql<{ approvePayment: { status: string } }>(stack.info, acme, APPROVE, {
      id: approved,
    });
    expect(approval.errors).toBeUndefined();
    const decline = await gql<{ declinePayment: { status: string } }>(stack.info, acme, DECLINE, {
      id: rejected,
    });
    expect(decline.errors).toBeUndefined();
    await reached(approved, "SETTLED");
    await reached(rejected, "DECLINED");
    expect(statusesOf(approved)).toEqual(["INITIATED", "IN_REVIEW", "RISK_APPROVED", "EXECUTED", "SETTLED"]);
    expect(statusesOf(rejected)).toEqual(["INITIATED", "IN_REVIEW", "DECLINED"]);
  });

  it("makes one payment and one event of 20 concurrent identical initiations", async () => {
    const input = payment("5.00");
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        gql<{ initiatePayment: { id: string } }>(stack.info, acme, INITIATE, { input }),
      ),
    );
    const ids = new Set(results.map((r) => r.data?.initiatePayment?.id).filter(Boolean));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as string[];
    // The losers of the race may be told to retry; a retry answers with the same payment.
    expect(results.every((r) => r.data?.initiatePayment?.id === id || r.errors?.[0]?.errorType)).toBe(true);
    await reached(id, "SETTLED");
    const initiated: string[] = [];
    await drainTopic(kafkaClient({ brokers: [stack.info.endpoints.kafka], clientId: "e2e-count" }), {
      topic: "payments.initiated",
      onBatch: async (records) => {
        for (const r of records) if (r.value?.toString().includes(id)) initiated.push(r.offset);
      },
    });
    expect(initiated).toHaveLength(1);
    const events = await gql<{ paymentEvents: { type: string }[] }>(stack.info, acme, EVENTS, { id });
    expect(events.data?.paymentEvents.filter((e) => e.type === "PaymentInitiated")).toHaveLength(1);
  });

  it("lets globex neither read, list, review nor subscribe to acme's payments", async () => {
    const globexSeen: Update[] = [];
    const spy = await subscribe(globex, {}, globexSeen);
    const forged: Update[] = [];
    const id = await initiate(acme, payment("9.00"));
    const forgedSub = await subscribe(globex, { paymentId: id }, forged);
    await reached(id, "SETTLED");
    // Proof that globex's subscriptions were sent all there was: a globex payment started
    // after acme's settled reaches them over the same socket, in order, after anything of acme's.
    const barrier = await initiate(globex, payment("8.00", CARDS.visa, "USD"));
    await until(
      () => globexSeen.find((u) => u.paymentId === barrier && u.status === "SETTLED"),
      "globex's own payment on globex's subscription",
    );
    spy.unsubscribe();
    forgedSub.unsubscribe();
    expect(globexSeen.filter((u) => u.tenantId !== "globex")).toEqual([]);
    expect(forged).toEqual([]);

    const missing = "pay_01AAAAAAAAAAAAAAAAAAAAAAAA";
    const strip = (r: { data?: unknown; errors?: { message: string; errorType?: string }[] }) =>
      JSON.stringify(r).replaceAll(id, "<id>").replaceAll(missing, "<id>");
    for (const query of [PAYMENT, EVENTS, APPROVE, DECLINE]) {
      const theirs = await gql(stack.info, globex, query, { id });
      const nobodys = await gql(stack.info, globex, query, { id: missing });
      expect(strip(theirs)).toBe(strip(nobodys));
    }
    const list = await gql<{ payments: { items: { id: string }[] } }>(stack.info, globex, LIST);
    expect(list.data?.payments.items.map((p) => p.id)).not.toContain(id);
    const own = await gql<{ payment: { status: string } }>(stack.info, acme, PAYMENT, { id });
    expect(own.data?.payment.status).toBe("SETTLED");
  });

  it("dead-letters a payment whose settlement store is down and completes it on replay", async () => {
    const s3 = new S3Client({
      endpoint: stack.info.endpoints.s3,
      region: "eu-west-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    const bucket = stack.info.tenants.globex?.bucket ?? "";
    const globexUpdates: Update[] = [];
    await subscribe(globex, {}, globexUpdates);
    // The bucket goes down empty, once globex's earlier payments are audited and settled.
    const { pipeline } = await loadConfig("config");
    const idle = kafkaClient({ brokers: [stack.info.endpoints.kafka], clientId: "e2e-idle" });
    await waitForCommittedOffsets(idle, pipelineGroups(pipeline));
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    if (Contents.length > 0) {
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: Contents.map(({ Key }) => ({ Key })) },
        }),
      );
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    const id = await initiate(globex, payment("4.00", CARDS.visa, "USD"));
    const cli = (...args: string[]) => run("./bin/payrail", [...args, "--data", dir], { env: process.env });
    const kafka = kafkaClient({ brokers: [stack.info.endpoints.kafka], clientId: "e2e-dlq" });
    await until(
      async () => {
        const letters = await listDeadLetters(kafka, "payments.executed", "globex");
        return letters.some((l) => l.consumer === "settlement") ? true : undefined;
      },
      "the settlement dead letter",
      30_000,
    );
    const { stdout: listed } = await cli("dlq", "list", "--topic", "payments.executed", "--tenant", "globex");
    expect(listed).toContain('"consumer":"settlement"');
    expect(listed).toContain("NoSuchBucket");
    expect(globexUpdates.filter((u) => u.paymentId === id).map((u) => u.status)).not.toContain("SETTLED");

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { stdout } = await cli("dlq", "replay", "--topic", "payments.executed", "--tenant", "globex");
    expect(stdout).toMatch(/replayed [1-9]\d* record/);
    await until(
      () => globexUpdates.find((u) => u.paymentId === id && u.status === "SETTLED"),
      "settlement after replay",
    );
  });

  it("leaves no card number in any table, object, Kafka record or log line", async () => {
    const pans = Object.values(CARDS);
    const found: string[] = [];
    const check = (where: string, text: string) => {
      for (const pan of pans) if (text.includes(pan)) found.push(`${where} holds ${pan.slice(-4)}`);
    };
    const dynamo = new DynamoDBClient({
      endpoint: stack.info.endpoints.dynamodb,
      region: "eu-west-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
    expect(TableNames.length).toBeGreaterThan(5);
    for (const table of TableNames) {
      const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table }));
      check(`table ${table}`, JSON.stringify(Items));
    }
    const s3 = new S3Client({
      endpoint: stack.info.endpoints.s3,
      region: "eu-west-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    let objects = 0;
    for (const { Name } of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
      for (const { Key } of (await s3.send(new ListObjectsV2Command({ Bucket: Name }))).Contents ?? []) {
        const body = await s3.send(new GetObjectCommand({ Bucket: Name, Key }));
        check(`s3://${Name}/${Key}`, (await body.Body?.transformToString()) ?? "");
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(0);
    const kafka = kafkaClient({ brokers: [stack.info.endpoints.kafka], clientId: "e2e-scan" });
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    let records = 0;
    for (const topic of topics.filter((t) => !t.startsWith("__"))) {
      await drainTopic(kafka, {
        topic,
        onBatch: async (batch) => {
          for (const r of batch) {
            records++;
            check(
              `${topic}@${r.offset}`,
              `${r.key?.toString()} ${r.value?.toString()} ${JSON.stringify(r.headers)}`,
            );
          }
        },
      });
    }
    expect(records).toBeGreaterThan(20);
    check("stack output", stack.output());
    expect(found).toEqual([]);
  });
});
