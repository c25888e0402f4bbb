// The routing bench's simulation on a small run: what each strategy must show, as counts
// (the same seed gives the same payments and answers).
import { describe, expect, it } from "vitest";
import { type SimulationOptions, simulate } from "../../../bench/routing/simulate";
import { syntheticPayments } from "../../../bench/routing/traffic";
import { loadConfig } from "../../../core/config";

const config = await loadConfig("config");
const rates = { hardDeclineBps: 250, softDeclineBps: 600, unknownBps: 20 };
const personalities = new Map([...config.routing.personalities].map(([name, p]) => [name, { ...p, rates }]));
const options: SimulationOptions = {
  routing: { ...config.routing, personalities },
  tenantId: "acme",
  regionId: "eu",
  single: "stripe_sandbox",
  personalities,
  breaker: config.routing.breaker,
  perCallTimeoutMs: 2_000,
  statusQueryMs: 100,
};
const traffic = syntheticPayments(6_000, "test", 10 * 60_000);
const outage = { processor: "stripe_sandbox", fromMs: 2 * 60_000, toMs: 6 * 60_000 };

describe("routing simulation", () => {
  it("failover recovers soft declines that static priority loses, within the attempt budget", () => {
    const single = simulate("single", traffic, options);
    const fixed = simulate("static", traffic, options);
    const failover = simulate("failover", traffic, options);
    expect(fixed.attempts).toBe(traffic.length);
    expect(single.attempts).toBeLessThan(traffic.length); // stripe takes no maestro
    expect(failover.approved).toBeGreaterThan(fixed.approved);
    expect(failover.attempts).toBeLessThanOrEqual(traffic.length * 3);
  });

  it("in an outage the breaker stops calling the dead processor, and failover keeps approving", () => {
    const fixed = simulate("static", traffic, { ...options, outage });
    const failover = simulate("failover", traffic, { ...options, outage });
    const breaker = simulate("breaker", traffic, { ...options, outage });
    expect(failover.approved).toBeGreaterThan(fixed.approved);
    expect(breaker.timeouts).toBeLessThan(failover.timeouts / 2);
    expect(breaker.approved).toBeGreaterThanOrEqual(failover.approved * 0.99);
  });
});
