// What routing buys a tenant, measured on ~100,000 synthetic card payments run through the
// real routing code (bench/routing/simulate.ts): single processor; static priority (acme's
// rules, no retry); priority + failover; failover + circuit breaker. One processor goes
// dark (every call hangs until the 2 s timeout) for a window; each strategy runs with and
// without that outage, so "lost to the outage" is the approvals it cost. No network, no
// clock: simulated time, a few seconds of CPU.
// Run: npx tsx bench/routing/index.ts [payments] [seed]
import { loadConfig } from "../../core/config";
import type { Personality } from "../../core/processors";
import { percentile, type SimulationOptions, type Strategy, simulate } from "./simulate";
import { syntheticPayments } from "./traffic";

const PAYMENTS = Number(process.argv[2] ?? 100_000);
const SEED = process.argv[3] ?? "routing-1";
const SPAN_MS = 60 * 60_000; // one hour of traffic
const OUTAGE = { processor: "stripe_sandbox", fromMs: 20 * 60_000, toMs: 30 * 60_000 };

/** Outcome rates per processor (basis points of attempts): the only thing the bench changes. */
const RATES: Record<string, Personality["rates"]> = {
  stripe_sandbox: { hardDeclineBps: 250, softDeclineBps: 500, unknownBps: 10 },
  adyen_sandbox: { hardDeclineBps: 250, softDeclineBps: 350, unknownBps: 10 },
  checkout_sandbox: { hardDeclineBps: 250, softDeclineBps: 650, unknownBps: 10 },
};

const config = await loadConfig("config");
const personalities = new Map(
  [...config.routing.personalities].map(([name, p]) => [name, { ...p, rates: RATES[name] ?? p.rates }]),
);
const base: SimulationOptions = {
  routing: { ...config.routing, personalities },
  tenantId: "acme",
  regionId: "eu",
  single: "stripe_sandbox",
  personalities,
  breaker: config.routing.breaker,
  perCallTimeoutMs: 2_000,
  statusQueryMs: 100,
};
const traffic = syntheticPayments(PAYMENTS, SEED, SPAN_MS);

const started = performance.now();
const rows = (["single", "static", "failover", "breaker"] as Strategy[]).map((strategy) => {
  const healthy = simulate(strategy, traffic, base);
  const outage = simulate(strategy, traffic, { ...base, outage: OUTAGE });
  return { strategy, healthy, outage };
});
const elapsedS = (performance.now() - started) / 1000;

const LABEL: Record<Strategy, string> = {
  single: "single processor (stripe)",
  static: "static priority (rules)",
  failover: "priority + failover",
  breaker: "failover + breaker",
};
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(2)}%`;
const eur = (minor: bigint) => `EUR ${(Number(minor) / 100).toFixed(2)}`;
const bps = (fees: bigint, volume: bigint) =>
  volume === 0n ? "-" : `${((Number(fees) * 10_000) / Number(volume)).toFixed(1)}`;
const baselineP99 = percentile(rows[0]?.healthy.timesMs ?? [], 99);

console.log(
  `bench/routing: ${PAYMENTS.toLocaleString("en")} card payments (seed ${SEED}) over 60 simulated minutes; outage: ${OUTAGE.processor} hangs from minute 20 to 30; ${elapsedS.toFixed(1)} s wall for ${rows.length * 2} runs\n`,
);
const header = [
  "strategy",
  "auth rate",
  "with outage",
  "lost to outage",
  "fees (bps of approved)",
  "p50 ms",
  "p99 ms",
  "p99 added ms",
  "p99 ms in outage run",
  "timeouts in outage run",
  "attempts/payment",
];
const table = rows.map(({ strategy, healthy, outage }) => {
  const p99 = percentile(healthy.timesMs, 99);
  return [
    LABEL[strategy],
    pct(healthy.approved, healthy.payments),
    pct(outage.approved, outage.payments),
    String(healthy.approved - outage.approved),
    `${eur(healthy.feesMinor)} (${bps(healthy.feesMinor, healthy.approvedMinor)})`,
    String(percentile(healthy.timesMs, 50)),
    String(p99),
    String(p99 - baselineP99),
    String(percentile(outage.timesMs, 99)),
    String(outage.timeouts),
    (healthy.attempts / healthy.payments).toFixed(3),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));
const uplift = (rows[2]?.healthy.approved ?? 0) - (rows[1]?.healthy.approved ?? 0);
console.log(
  `\nfailover over static priority: +${pct(uplift, PAYMENTS)} authorization rate (${uplift} payments recovered from soft declines and lost answers)`,
);
