// AppSync emulator benchmark: prints figures, never passes or fails.
//   npx tsx bench/appsync/index.ts
// 1. Requests/s and p99 of `query { hello }` (NONE data source) through the emulator and
//    through @aws-amplify/amplify-appsync-simulator (VTL equivalent): same schema, same
//    load, each server in its own process. Trials alternate between the two so that a
//    burst of load from elsewhere on the machine hits both alike; medians are compared.
// 2. Fan-out: time from one mutation until each of 1,000 WebSocket subscribers has it.
import { cpus, loadavg } from "node:os";
import { runFanout } from "./fanout";
import { type LoadResult, runLoad } from "./load";
import { BENCH_API_KEY } from "./simulator";
import { type RunningTarget, spawnTarget } from "./spawn-target";
import { ms, percentile, sortedCopy } from "./stats";

const CONCURRENCY = 32;
const WARMUP_REQUESTS = 1_000;
const REQUESTS_PER_TRIAL = 1_000;
const TRIALS = 3;
const SUBSCRIBERS = 1_000;
const FANOUT_ROUNDS = 5;
const ROUND_TIMEOUT_MS = 10_000;

const HELLO = JSON.stringify({ query: 'query Hello { hello(name: "bench") }' });
const headers = { "content-type": "application/json", "x-api-key": BENCH_API_KEY };

function hello(target: RunningTarget, requests: number): Promise<LoadResult> {
  return runLoad({
    url: target.url,
    headers,
    body: HELLO,
    concurrency: CONCURRENCY,
    requests,
    expect: (status, body) => status === 200 && body.includes("Hello, bench!"),
  });
}

function median(values: number[]): number {
  return percentile(sortedCopy(values), 50);
}

function row(name: string, result: LoadResult): string {
  return [
    name.padEnd(12),
    `${result.rps.toFixed(0).padStart(6)} req/s`,
    `p50 ${ms(result.p50).padStart(10)}`,
    `p99 ${ms(result.p99).padStart(10)}`,
    `failures ${result.failures}/${result.requests}`,
  ].join("   ");
}

async function throughput(emulator: RunningTarget, simulator: RunningTarget) {
  await hello(emulator, WARMUP_REQUESTS); // JIT, resolver bundles, connection pool
  await hello(simulator, WARMUP_REQUESTS); // JIT, VTL templates, connection pool
  const results = { emulator: [] as LoadResult[], simulator: [] as LoadResult[] };
  for (let trial = 1; trial <= TRIALS; trial += 1) {
    const ours = await hello(emulator, REQUESTS_PER_TRIAL);
    console.log(row(`emulator  #${trial}`, ours));
    const theirs = await hello(simulator, REQUESTS_PER_TRIAL);
    console.log(row(`simulator #${trial}`, theirs));
    results.emulator.push(ours);
    results.simulator.push(theirs);
  }
  const summary = (list: LoadResult[]) => ({
    rps: median(list.map((result) => result.rps)),
    p99: median(list.map((result) => result.p99)),
  });
  return { emulator: summary(results.emulator), simulator: summary(results.simulator) };
}

type FanoutVia = "mutation" | "publish";

/**
 * "mutation": end to end, the tick mutation over HTTP through its resolver.
 * "publish": `publish()` inside the emulator (no HTTP, no resolver), which also reports
 * how long the server took to write all 1,000 frames.
 */
async function fanout(emulator: RunningTarget, via: FanoutVia) {
  const serverMs: number[] = [];
  const rounds = await runFanout({
    realtimeUrl: emulator.url.replace(/^http/, "ws").replace(/\/graphql$/, "/graphql/realtime"),
    authorization: { host: new URL(emulator.url).host, "x-api-key": BENCH_API_KEY },
    subscription: "subscription OnTick { onTick { id sentAt } }",
    subscribers: SUBSCRIBERS,
    rounds: FANOUT_ROUNDS + 1, // the first round warms up the publish path and is not counted
    roundTimeoutMs: ROUND_TIMEOUT_MS,
    markerOf: (payload) => (payload.data as { onTick?: { id?: string } } | null)?.onTick?.id,
    mutate: async (marker) => {
      const tick = { id: marker, sentAt: new Date().toISOString() };
      if (via === "publish") {
        serverMs.push((await emulator.publish("tick", tick)).ms);
        return;
      }
      const response = await fetch(emulator.url, {
        method: "POST",
        headers,
        body: JSON.stringify({
          query: "mutation Tick($id: ID!, $sentAt: String!) { tick(id: $id, sentAt: $sentAt) { id sentAt } }",
          variables: tick,
        }),
      });
      if (!response.ok) throw new Error(`tick failed: ${response.status} ${await response.text()}`);
    },
  });
  return { rounds, serverMs };
}

function reportFanout(
  via: FanoutVia,
  { rounds: [warmup, ...rounds], serverMs }: Awaited<ReturnType<typeof fanout>>,
) {
  console.log(
    via === "mutation"
      ? "via the tick mutation over HTTP (end to end):"
      : "via publish() inside the emulator (no HTTP, no resolver); server = time to write all frames:",
  );
  console.log(
    `  warm-up  received ${warmup?.received}/${SUBSCRIBERS}   all received ${ms(warmup?.max ?? Number.NaN)}`,
  );
  for (const [index, round] of rounds.entries()) {
    const server = serverMs[index + 1];
    console.log(
      [
        `  round ${index + 1}  received ${round.received}/${SUBSCRIBERS}`,
        `p50 ${ms(round.p50).padStart(10)}`,
        `all received (max) ${ms(round.max).padStart(10)}`,
        ...(server === undefined ? [] : [`server ${ms(server).padStart(10)}`]),
      ].join("   "),
    );
  }
  const server = serverMs.length > 1 ? `, server ${ms(median(serverMs.slice(1)))}` : "";
  console.log(
    `  median of rounds: p50 ${ms(median(rounds.map((round) => round.p50)))}, all received within ${ms(median(rounds.map((round) => round.max)))}${server}`,
  );
}

// Figures from a busy machine mean little; say how busy it was.
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");
console.log(`AppSync benchmark — node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "?"}`);
console.log(`load average at start: ${load()}`);

const [emulator, simulator] = await Promise.all([spawnTarget("emulator"), spawnTarget("simulator")]);
try {
  console.log(
    `\nquery hello (NONE): ${TRIALS} alternating trials × ${REQUESTS_PER_TRIAL} requests, ${CONCURRENCY} keep-alive connections`,
  );
  const figures = await throughput(emulator, simulator);
  console.log(
    `median      emulator ${figures.emulator.rps.toFixed(0)} req/s (p99 ${ms(figures.emulator.p99)})` +
      ` vs simulator ${figures.simulator.rps.toFixed(0)} req/s (p99 ${ms(figures.simulator.p99)})`,
  );
  console.log(
    `ratio       ${(figures.emulator.rps / figures.simulator.rps).toFixed(1)}× the simulator's throughput`,
  );

  await simulator.stop(); // idle or not, keep it out of the fan-out's way
  console.log(
    `\nfan-out: 1 mutation → ${SUBSCRIBERS} WebSocket subscribers, ${FANOUT_ROUNDS} rounds after a warm-up`,
  );
  for (const via of ["mutation", "publish"] as const) reportFanout(via, await fanout(emulator, via));
} finally {
  await Promise.all([emulator.stop(), simulator.stop()]);
}
console.log(`load average at end: ${load()}`);
