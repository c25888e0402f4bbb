// AppSync emulator benchmark: prints figures, never passes or fails.
//   npx tsx bench/appsync/index.ts
// 1. Requests/s and p99 of `query { hello }` (NONE data source) through the emulator and
//    through @aws-amplify/amplify-appsync-simulator (VTL equivalent), same schema, same
//    load, each server in its own process, and the ratio.
// 2. Fan-out: time from one mutation until each of 1,000 WebSocket subscribers has it.
import { cpus } from "node:os";
import { runFanout } from "./fanout";
import { type LoadResult, runLoad } from "./load";
import { BENCH_API_KEY } from "./simulator";
import { spawnTarget } from "./spawn-target";
import { ms } from "./stats";

const CONCURRENCY = 32;
const WARMUP_REQUESTS = 200;
const REQUESTS = 2_000;
const SUBSCRIBERS = 1_000;
const FANOUT_ROUNDS = 5;
const ROUND_TIMEOUT_MS = 10_000;

const HELLO = JSON.stringify({ query: 'query Hello { hello(name: "bench") }' });
const headers = { "content-type": "application/json", "x-api-key": BENCH_API_KEY };

async function throughput(name: "emulator" | "simulator"): Promise<LoadResult> {
  const target = await spawnTarget(name);
  try {
    const load = (requests: number) =>
      runLoad({
        url: target.url,
        headers,
        body: HELLO,
        concurrency: CONCURRENCY,
        requests,
        expect: (status, body) => status === 200 && body.includes("Hello, bench!"),
      });
    await load(WARMUP_REQUESTS); // JIT, template caches, connection pool
    return await load(REQUESTS);
  } finally {
    await target.stop();
  }
}

async function fanout() {
  const target = await spawnTarget("emulator");
  try {
    const realtimeUrl = target.url.replace(/^http/, "ws").replace(/\/graphql$/, "/graphql/realtime");
    return await runFanout({
      realtimeUrl,
      authorization: { host: new URL(target.url).host, "x-api-key": BENCH_API_KEY },
      subscription: "subscription OnTick { onTick { id sentAt } }",
      subscribers: SUBSCRIBERS,
      rounds: FANOUT_ROUNDS,
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      markerOf: (payload) => (payload.data as { onTick?: { id?: string } } | null)?.onTick?.id,
      mutate: async (marker) => {
        const response = await fetch(target.url, {
          method: "POST",
          headers,
          body: JSON.stringify({
            query:
              "mutation Tick($id: ID!, $sentAt: String!) { tick(id: $id, sentAt: $sentAt) { id sentAt } }",
            variables: { id: marker, sentAt: new Date().toISOString() },
          }),
        });
        if (!response.ok) throw new Error(`tick failed: ${response.status} ${await response.text()}`);
      },
    });
  } finally {
    await target.stop();
  }
}

function row(name: string, result: LoadResult): string {
  return `${name.padEnd(10)} ${result.rps.toFixed(0).padStart(8)} req/s   p50 ${ms(result.p50).padStart(10)}   p99 ${ms(result.p99).padStart(10)}   failures ${result.failures}/${result.requests}`;
}

console.log(`AppSync benchmark — node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "?"}`);
console.log(`\nquery hello (NONE), ${REQUESTS} requests, ${CONCURRENCY} concurrent keep-alive connections`);
const emulator = await throughput("emulator");
console.log(row("emulator", emulator));
const simulator = await throughput("simulator");
console.log(row("simulator", simulator));
console.log(`ratio      ${(emulator.rps / simulator.rps).toFixed(1)}× the simulator's throughput`);

console.log(`\nfan-out: 1 mutation → ${SUBSCRIBERS} WebSocket subscribers, ${FANOUT_ROUNDS} rounds`);
const rounds = await fanout();
for (const [index, round] of rounds.entries()) {
  console.log(
    `round ${index + 1}    received ${round.received}/${SUBSCRIBERS}   p50 ${ms(round.p50).padStart(10)}   all received (max) ${ms(round.max).padStart(10)}`,
  );
}
