// Webhook delivery benchmark: the whole stack as `npm start` runs it (child process, in
// memory) and partner receivers in this process (node:http on 127.0.0.1).
//   1. one fast endpoint (answers 200 at once): deliveries/s and event → delivery latency
//      (the receiver's clock minus the event's occurredAt: what webhooks add after the event).
//   2. the same load with a second, slow endpoint (answers after SLOW_MS): the fast
//      endpoint's figures printed beside the first run's, and what the slow one got.
// Run: npx tsx bench/webhooks/index.ts [payments] [concurrency]
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPayment } from "../../test/e2e/cards";
import { gql, startStack } from "../../test/e2e/stack";
import { percentile, sortedCopy } from "../appsync/stats";

const PAYMENTS = Number(process.argv[2] ?? 100);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const EVENTS_PER_PAYMENT = 4;
const SLOW_MS = 2000;
const DEADLINE_MS = 60_000;

type Receiver = {
  url: string;
  latencies: number[];
  times: number[];
  all(n: number): Promise<void>;
  close(): void;
};

async function receiver(delayMs: number): Promise<Receiver> {
  const latencies: number[] = [];
  const times: number[] = [];
  let want = Number.POSITIVE_INFINITY;
  let reached: () => void = () => undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const now = Date.now();
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { occurredAt: string };
      if (request.headers["payrail-delivery-attempt"] === "1") {
        latencies.push(now - Date.parse(event.occurredAt));
        times.push(now);
      }
      if (latencies.length >= want) reached();
      setTimeout(() => response.writeHead(200).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    latencies,
    times,
    all: (n) =>
      new Promise<void>((resolve, reject) => {
        want = latencies.length + n;
        reached = resolve;
        if (latencies.length >= want) resolve();
        setTimeout(
          () => reject(new Error(`only ${latencies.length}/${want} deliveries in ${DEADLINE_MS} ms`)),
          DEADLINE_MS,
        ).unref();
      }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const dir = await mkdtemp(join(tmpdir(), "payrail-bench-webhooks-"));
const stack = await startStack(dir, { memory: true });
const token = stack.info.tenants.acme?.apiToken ?? "";
const receivers: Receiver[] = [];

async function register(url: string) {
  const answer = await gql(
    stack.info,
    token,
    "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { id } }",
    {
      i: { url, eventTypes: ["*"], description: "bench" },
    },
  );
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
}

async function payments(n: number) {
  let next = 0;
  const lane = async () => {
    while (next++ < n) {
      const answer = await gql(
        stack.info,
        token,
        "mutation($i: InitiatePaymentInput!) { initiatePayment(input: $i) { id } }",
        {
          i: loadPayment(),
        },
      );
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

/** Deliveries/s and latency of the first attempts `from` onwards. */
function figures(r: Receiver, from: number, started: number) {
  const latencies = sortedCopy(r.latencies.slice(from));
  const last = Math.max(...r.times.slice(from));
  return {
    deliveries: latencies.length,
    perSecond: latencies.length / ((last - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const line = (label: string, f: ReturnType<typeof figures>) =>
  `${label.padEnd(34)} ${String(f.deliveries).padStart(5)} deliveries  ${f.perSecond.toFixed(1).padStart(7)}/s  event→delivery p50 ${f.p50} ms  p99 ${f.p99} ms`;

try {
  const fast = await receiver(0);
  receivers.push(fast);
  await register(fast.url);
  // Warm-up: connections, JIT, consumer groups.
  await Promise.all([fast.all(5 * EVENTS_PER_PAYMENT), payments(5)]);

  let from = fast.latencies.length;
  let started = Date.now();
  await Promise.all([fast.all(PAYMENTS * EVENTS_PER_PAYMENT), payments(PAYMENTS)]);
  const alone = figures(fast, from, started);

  const slow = await receiver(SLOW_MS);
  receivers.push(slow);
  await register(slow.url);
  from = fast.latencies.length;
  const slowFrom = slow.latencies.length;
  started = Date.now();
  await Promise.all([fast.all(PAYMENTS * EVENTS_PER_PAYMENT), payments(PAYMENTS)]);
  const beside = figures(fast, from, started);

  console.log(
    `webhooks: ${PAYMENTS} card payments × ${EVENTS_PER_PAYMENT} events, ${CONCURRENCY} clients, receivers on 127.0.0.1`,
  );
  console.log(line("fast endpoint alone", alone));
  console.log(line(`fast endpoint beside a ${SLOW_MS} ms one`, beside));
  console.log(
    `  slow endpoint meanwhile: ${slow.latencies.length - slowFrom} first attempts answered or in flight (its events wait in order per payment)`,
  );
  console.log(`  p99 ratio beside/alone: ${(beside.p99 / alone.p99).toFixed(2)}`);
} finally {
  for (const r of receivers) r.close();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
