// End-to-end pipeline benchmark: the whole stack as `npm start` runs it (child process,
// in memory), payments started over GraphQL HTTP and watched over the real-time socket
// with aws-amplify, as a partner would.
//   1. sustained throughput: a closed loop of CONCURRENCY clients for SUSTAIN_S seconds;
//      payments/s = SETTLED updates seen per second after a warm-up.
//   2. latency at half that rate (or at latencyRate, to compare runs at one rate), open loop:
//      p50/p99 of mutation sent → SETTLED seen.
//   Before 1, a closed loop of JIT_WARM_S seconds warms the stack up (JIT), unmeasured.
//   3. where the time goes: median time per stage along the chain, and the stack's CPU
//      time per settled payment during the sustained run (all its threads), which bounds
//      what this machine's cores can sustain, split into the local servers' threads
//      (broker, dynalite, s3rver) and the rest (consumers, API functions, AppSync emulator),
//      beside the load generator's own CPU (it shares the cores); and the DynamoDB calls
//      per settled payment by operation, counted at the stack's clients
//      (PAYRAIL_COUNT_DYNAMODB_CALLS, see consumers/platform/call-counter.ts).
// Run: npx tsx bench/pipeline/end-to-end.ts [concurrency] [sustainSeconds] [latencyRate]
// Profile the stack: PAYRAIL_STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx …
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { loadPayment } from "../../test/e2e/cards";
import { connectAmplify, gql, startStack } from "../../test/e2e/stack";
import { describeMachine, machineReference } from "../machine";
import { processCpuSeconds, threadCpuSeconds } from "../proc";

const USAGE =
  "usage: npx tsx bench/pipeline/end-to-end.ts [concurrency=48] [sustainSeconds=20] [latencyRate=half the sustained]";
const [concurrencyArg, sustainArg, rateArg] = process.argv.slice(2);
if (concurrencyArg === "--help" || concurrencyArg === "-h") {
  console.log(USAGE);
  process.exit(0);
}
const CONCURRENCY = Number(concurrencyArg ?? 48);
const SUSTAIN_S = Number(sustainArg ?? 20);
const LATENCY_RATE = rateArg === undefined ? undefined : Number(rateArg);
if (
  !(Number.isInteger(CONCURRENCY) && CONCURRENCY > 0 && SUSTAIN_S > 0) ||
  (LATENCY_RATE !== undefined && !(LATENCY_RATE > 0 && LATENCY_RATE <= 1000))
) {
  console.error(USAGE);
  process.exit(2);
}
const HALF_LOAD_S = 15;
const WARM_S = 5;
const JIT_WARM_S = 5;
const INITIATE = `mutation Start($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;
const WATCH = `subscription Watch { onPaymentUpdated { paymentId status } }`;

type Timeline = {
  id?: string;
  sent: number;
  started?: boolean;
  answered?: number;
  seen: Partial<Record<string, number>>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const median = (values: number[]) => percentile(values, 50);

const dir = await mkdtemp(join(tmpdir(), "payrail-bench-"));
process.env.PAYRAIL_COUNT_DYNAMODB_CALLS = "1";
console.log(describeMachine(await machineReference()));
const stack = await startStack(dir, { memory: true });
const token = stack.info.tenants.acme?.apiToken ?? "";
const timelines = new Map<string, Timeline>();
const settledAt: number[] = [];
const client = await connectAmplify(stack.info);
const watch = (
  client.graphql({ query: WATCH, authToken: token }) as {
    subscribe(o: object): { unsubscribe(): void };
  }
).subscribe({
  next: (message: { data: { onPaymentUpdated: { paymentId: string; status: string } } }) => {
    const { paymentId, status } = message.data.onPaymentUpdated;
    // An update can overtake the mutation's own answer, so the timeline may start here.
    const timeline = timelines.get(paymentId) ?? { sent: Number.NaN, seen: {} };
    timelines.set(paymentId, timeline);
    timeline.seen[status] ??= performance.now();
    if (status === "SETTLED") settledAt.push(performance.now());
  },
  error: (error: unknown) => console.error("subscription error", error),
});

async function pay(): Promise<void> {
  const sent = performance.now();
  const result = await gql<{ initiatePayment: { id: string } }>(stack.info, token, INITIATE, {
    input: loadPayment(),
  });
  const id = result.data?.initiatePayment?.id;
  if (!id) return;
  const timeline = timelines.get(id) ?? { sent, seen: {} };
  timeline.id = id;
  timeline.sent = sent;
  timeline.started = true;
  timeline.answered = performance.now();
  timelines.set(id, timeline);
}

/** Payments the subscriber never saw settle: what it saw, and what the API says now. */
async function reportUnsettled(timelines: readonly Timeline[]) {
  for (const t of timelines.filter((t) => t.seen.SETTLED === undefined).slice(0, 10)) {
    const seen = Object.keys(t.seen).join(" → ") || "nothing";
    const now = await gql<{ payment: { status: string } | null }>(
      stack.info,
      token,
      `query Get($id: ID!) { payment(id: $id) { status } }`,
      { id: t.id },
    );
    console.log(`  not settled: ${t.id}: subscriber saw ${seen}; the API says ${now.data?.payment?.status}`);
  }
  const errors = stack
    .output()
    .split("\n")
    .filter((line) => line.includes('"level":"ERROR"'));
  if (errors.length > 0) console.log(`  stack logged ${errors.length} error line(s), first: ${errors[0]}`);
}

/**
 * The processor attempts of the slowest payments, timed from RISK_APPROVED seen: whether a
 * slow execution stage waited before its call (delivery) or in it (the processor, a timeout).
 */
async function reportAttempts(slowest: readonly Timeline[]) {
  for (const t of slowest.slice(0, 5)) {
    const { data } = await gql<{
      payment: {
        attempts: { processor: string; status: string; startedAt: string }[];
      };
    }>(
      stack.info,
      token,
      `query Attempts($id: ID!) { payment(id: $id) { attempts { processor status startedAt } } }`,
      { id: t.id },
    );
    const approvedAt = performance.timeOrigin + (t.seen.RISK_APPROVED ?? Number.NaN);
    const attempts = (data?.payment?.attempts ?? []).map(
      (a) =>
        `${a.processor} ${a.status} started ${(Date.parse(a.startedAt) - approvedAt).toFixed(0)} ms after RISK_APPROVED`,
    );
    console.log(
      `  slow ${t.id}: ${((t.seen.SETTLED ?? 0) - t.sent).toFixed(0)} ms; ${attempts.join("; ") || "no attempts"}`,
    );
  }
}

/** CPU seconds so far of the local servers' threads, by server. */
const serverCpuSeconds = (pid: number) =>
  Object.entries(stack.info.serverThreads).map(
    ([name, tid]) => [name, tid === undefined ? Number.NaN : threadCpuSeconds(pid, tid)] as const,
  );

/** The stack's DynamoDB calls so far by operation: it prints them on SIGUSR2. */
async function dynamoDbCalls(): Promise<Record<string, number>> {
  const lines = () =>
    stack
      .output()
      .split("\n")
      .filter((line) => line.startsWith("dynamodb calls "));
  const before = lines().length;
  stack.child.kill("SIGUSR2");
  const deadline = Date.now() + 5000;
  while (lines().length === before && Date.now() < deadline) await sleep(20);
  const last = lines().at(-1);
  if (lines().length === before || !last) throw new Error("the stack did not report its DynamoDB calls");
  return JSON.parse(last.slice("dynamodb calls ".length)) as Record<string, number>;
}

async function settleAll(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (
    Date.now() < deadline &&
    [...timelines.values()].some((t) => t.started && t.seen.SETTLED === undefined && !t.seen.FAILED)
  )
    await sleep(200);
}

try {
  // Warm-up (and proof that the subscription is live), then a closed loop like the measured
  // one: V8 compiles the hot paths on its helper threads during the first seconds under
  // load (~45 ms of CPU per payment then, ~6 ms after), which is start-up, not a payment's cost.
  await Promise.all(Array.from({ length: 10 }, pay));
  await settleAll(20_000);
  const warmEnd = performance.now() + JIT_WARM_S * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < warmEnd) await pay();
    }),
  );
  await settleAll(20_000);
  timelines.clear();
  settledAt.length = 0;

  // 1. Sustained throughput, closed loop.
  const pid = stack.child.pid ?? 0;
  const cpuBefore = processCpuSeconds(pid);
  const loadBefore = processCpuSeconds(process.pid);
  const serversBefore = serverCpuSeconds(pid);
  const callsBefore = await dynamoDbCalls();
  const start = performance.now();
  const end = start + SUSTAIN_S * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await pay();
    }),
  );
  const windowStart = start + WARM_S * 1000;
  const inWindow = settledAt.filter((t) => t >= windowStart && t <= end).length;
  const sustained = inWindow / (SUSTAIN_S - WARM_S);
  const started = [...timelines.values()].filter((t) => t.started).length;
  await settleAll(60_000);
  const cpuUsed = processCpuSeconds(pid) - cpuBefore;
  const loadUsed = processCpuSeconds(process.pid) - loadBefore;
  const serversUsed = serverCpuSeconds(pid).map(
    ([name, s], i) => [name, s - (serversBefore[i]?.[1] ?? 0)] as const,
  );
  const callsAfter = await dynamoDbCalls();
  const settledCount = settledAt.length;
  const closedLoop = [...timelines.values()].filter((t) => t.started);
  await reportUnsettled(closedLoop);
  console.log(
    `sustained: ${sustained.toFixed(0)} payments/s settled (concurrency ${CONCURRENCY}, ${SUSTAIN_S} s, ${started} started, ${closedLoop.filter((t) => t.seen.SETTLED).length} settled)`,
  );
  // The loop waits for each mutation's answer, not its settlement, so the API may run ahead of
  // the pipeline: the window figure above is the pipeline's rate beside that load, and this
  // one counts every payment of the loop through to SETTLED, the backlog's drain included.
  const through = closedLoop.flatMap((t) => (t.seen.SETTLED === undefined ? [] : [t.seen.SETTLED]));
  const drainedS = through.length === 0 ? Number.NaN : (Math.max(...through) - start) / 1000;
  const backlog = closedLoop.filter(
    (t) => (t.answered ?? 0) <= end && (t.seen.SETTLED ?? Number.POSITIVE_INFINITY) > end,
  );
  console.log(
    `  all the way through: ${through.length} settled ${drainedS.toFixed(1)} s after the loop started, ${(through.length / drainedS).toFixed(0)} payments/s (${backlog.length} answered but not yet settled when the loop stopped)`,
  );
  const cpuPerPayment = (cpuUsed * 1000) / Math.max(1, settledCount);
  console.log(
    `stack CPU: ${cpuPerPayment.toFixed(1)} ms per settled payment (${cpuUsed.toFixed(1)} s for ${settledCount}); ` +
      `${availableParallelism()} cores at 100% would sustain at most ${((availableParallelism() * 1000) / cpuPerPayment).toFixed(0)} payments/s`,
  );
  const perPayment = (seconds: number) => ((seconds * 1000) / Math.max(1, settledCount)).toFixed(1);
  const serversTotal = serversUsed.reduce((sum, [, s]) => sum + s, 0);
  console.log(
    `  ${perPayment(cpuUsed - serversTotal)} ms the stack's own code (consumers, API functions, AppSync emulator: main thread and helpers), ` +
      `${perPayment(serversTotal)} ms the local servers (${serversUsed.map(([name, s]) => `${name} ${perPayment(s)}`).join(", ")})`,
  );
  // The load generator shares the cores, so the ceiling a run can reach counts its CPU too.
  const bothPerPayment = ((cpuUsed + loadUsed) * 1000) / Math.max(1, settledCount);
  console.log(
    `  the load generator (this process: GraphQL clients, the subscriber) ${perPayment(loadUsed)} ms more; ` +
      `stack and generator together would fill ${availableParallelism()} cores at ${((availableParallelism() * 1000) / bothPerPayment).toFixed(0)} payments/s`,
  );
  const callCounts = Object.entries(callsAfter)
    .map(([operation, n]) => [operation, n - (callsBefore[operation] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort(([, a], [, b]) => b - a);
  const callsTotal = callCounts.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `DynamoDB calls: ${(callsTotal / Math.max(1, settledCount)).toFixed(2)} per settled payment ` +
      `(${callCounts.map(([operation, n]) => `${operation} ${(n / Math.max(1, settledCount)).toFixed(2)}`).join(", ")}; ` +
      `${callsTotal} calls for ${settledCount} payments, the outbox relay's background scans included)`,
  );

  // 2. Half load, open loop.
  timelines.clear();
  settledAt.length = 0;
  const rate = LATENCY_RATE ?? Math.max(1, sustained / 2);
  const total = Math.round(rate * HALF_LOAD_S);
  // The API (AppSync emulator, API functions) runs on the stack's main thread, the consumers on another.
  const stackThreads = { API: pid, "event services": stack.info.eventServicesThread };
  const busyBefore = Object.values(stackThreads).map((tid) =>
    tid ? threadCpuSeconds(pid, tid) : Number.NaN,
  );
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(pay());
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - t0) / 1000;
  const busy = Object.entries(stackThreads).map(([name, tid], i) => {
    const used = tid ? threadCpuSeconds(pid, tid) - (busyBefore[i] ?? 0) : Number.NaN;
    return `${name} ${((used / elapsedS) * 100).toFixed(0)}%`;
  });
  await settleAll(60_000);
  const startedHalf = [...timelines.values()].filter((t) => t.started);
  const half = startedHalf.filter((t) => t.seen.SETTLED !== undefined);
  await reportUnsettled(startedHalf);
  const latency = half.map((t) => (t.seen.SETTLED ?? 0) - t.sent);
  console.log(
    `${LATENCY_RATE === undefined ? "half load" : "fixed load"}: ${rate.toFixed(0)} payments/s for ${HALF_LOAD_S} s, ${half.length}/${startedHalf.length} settled; mutation → SETTLED p50 ${median(latency).toFixed(0)} ms, p99 ${percentile(latency, 99).toFixed(0)} ms; threads busy: ${busy.join(", ")}`,
  );

  // 3. Where the time goes: medians at half load, and the same for the slowest 1%.
  type Instant = (t: Timeline) => number | undefined;
  const stage = (of: readonly Timeline[], from: Instant, to: Instant) =>
    median(
      of.flatMap((t) => {
        const a = from(t);
        const b = to(t);
        return a !== undefined && b !== undefined ? [b - a] : [];
      }),
    );
  const p99 = percentile(latency, 99);
  const slowest = half.filter((t) => (t.seen.SETTLED ?? 0) - t.sent >= p99);
  const stages: [string, Instant, Instant][] = [
    ["initiatePayment (HTTP → AppSync → initiation → Kafka ack)", (t) => t.sent, (t) => t.answered],
    [
      "mutation sent → INITIATED seen (status consumer, AppSync fan-out)",
      (t) => t.sent,
      (t) => t.seen.INITIATED,
    ],
    ["INITIATED → RISK_APPROVED (risk consumer)", (t) => t.seen.INITIATED, (t) => t.seen.RISK_APPROVED],
    [
      "RISK_APPROVED → EXECUTED (execution consumer, sandbox rail)",
      (t) => t.seen.RISK_APPROVED,
      (t) => t.seen.EXECUTED,
    ],
    ["EXECUTED → SETTLED (settlement consumer, S3 record)", (t) => t.seen.EXECUTED, (t) => t.seen.SETTLED],
  ];
  console.log(`  median ms: all / the slowest 1% (${slowest.length} payments)`);
  for (const [name, from, to] of stages) {
    const all = stage(half, from, to).toFixed(0).padStart(6);
    console.log(`  ${all} / ${stage(slowest, from, to).toFixed(0).padStart(6)}  ${name}`);
  }
  await reportAttempts(slowest);
} finally {
  watch.unsubscribe();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
// Amplify's real-time client keeps reconnect timers alive after its socket is gone.
process.exit();
