// Alias bomb (#16 item 3): one tenant (acme) sends 1,000 aliases of payments(limit: 100) in
// each request while another (globex) runs one-row queries. Prints globex's p50/p99 alone
// and under the bomb, with the emulator's default limits and with the limits lifted.
// Bounded (~15 s), 127.0.0.1 only, prints figures, never passes or fails:
//   npx tsx bench/alias-bomb.ts
import { type AppSyncEmulator, startAppSyncEmulator } from "../local/appsync/emulator";
import type { QueryLimits } from "../local/appsync/limits";
import { TOKENS } from "../test/fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi } from "../test/fixtures/appsync/payrail-api";
import { ms, percentile, sortedCopy } from "./appsync/stats";

const PHASE_MS = 3_000;
const ATTACKERS = 4;
const BOMB = `{ ${Array.from({ length: 1000 }, (_, i) => `p${i}: payments(limit: 100) { items { id amount } }`).join(" ")} }`;
const ONE_ROW = '{ payment(id: "pay_globex") { id status } }';

const post = async (url: string, token: string, query: string) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({ query }),
  });
  await response.arrayBuffer();
  return response.status;
};

/** globex's one-row query, back to back for PHASE_MS; the latencies in ms. */
async function victim(url: string): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + PHASE_MS;
  while (performance.now() < end) {
    const started = performance.now();
    await post(url, TOKENS.globex, ONE_ROW);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** acme's bombs from ATTACKERS loops until `stop`; the statuses it got, by code. */
async function attack(url: string, stop: { done: boolean }): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: ATTACKERS }, async () => {
      while (!stop.done) {
        const status = await post(url, TOKENS.acme, BOMB);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return statuses;
}

async function run(label: string, limits: QueryLimits) {
  const emulator: AppSyncEmulator = await startAppSyncEmulator({
    api: fixturePayrailApi,
    limits,
    logger: () => {},
  });
  try {
    for (let i = 0; i < 20; i++) await post(emulator.url, TOKENS.globex, ONE_ROW); // warm-up
    const baseline = sortedCopy(await victim(emulator.url));
    const stop = { done: false };
    const attacking = attack(emulator.url, stop);
    const underBomb = sortedCopy(await victim(emulator.url));
    stop.done = true;
    const statuses = await attacking;
    const [b50, b99, u50, u99] = [
      percentile(baseline, 50),
      percentile(baseline, 99),
      percentile(underBomb, 50),
      percentile(underBomb, 99),
    ];
    console.log(`\n${label}`);
    console.log(`  globex baseline     p50 ${ms(b50)}  p99 ${ms(b99)}  (${baseline.length} queries)`);
    console.log(`  globex under bomb   p50 ${ms(u50)}  p99 ${ms(u99)}  (${underBomb.length} queries)`);
    console.log(`  ratio under/base    p50 ${(u50 / b50).toFixed(1)}x  p99 ${(u99 / b99).toFixed(1)}x`);
    console.log(`  acme bomb answers   ${JSON.stringify(statuses)}`);
  } finally {
    await emulator.stop();
  }
}

await run("default limits (tenant rate 200 tokens/s, burst 400; one token per root field)", {});
await run("limits lifted (no tenant rate, resolver count 1,000,000, response 1 GB)", {
  tenantRate: { tokensPerSecond: 1e9, burst: 1e9 },
  resolverCountLimit: 1_000_000,
  responseSizeLimitBytes: 1024 ** 3,
});
