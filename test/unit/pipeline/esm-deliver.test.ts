import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DeliveryPolicy, deliver } from "../../../local/esm/deliver";

const policy = (over: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
  maxAttempts: 2,
  bisectOnError: true,
  baseMs: 0,
  capMs: 0,
  ...over,
});

/** A function that fails any batch containing a poison record. */
function poisonedBy(poison: Set<number>) {
  const calls: number[][] = [];
  const invoke = async (batch: number[]) => {
    calls.push(batch);
    const bad = batch.find((n) => poison.has(n));
    if (bad !== undefined) throw new Error(`poison ${bad}`);
  };
  return { calls, invoke };
}

describe("deliver (event source mapping batch policy)", () => {
  it("delivers a healthy batch once, in one invocation", async () => {
    const { calls, invoke } = poisonedBy(new Set());
    expect(await deliver([1, 2, 3], invoke, policy())).toEqual([]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("retries a transient failure without splitting", async () => {
    let failures = 1;
    const calls: number[][] = [];
    const dead = await deliver(
      [1, 2],
      async (batch) => {
        calls.push(batch);
        if (failures-- > 0) throw new Error("transient");
      },
      policy(),
    );
    expect(dead).toEqual([]);
    expect(calls).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it("bisects down to the poison record and dead-letters only it, with its error", async () => {
    const { invoke } = poisonedBy(new Set([3]));
    const dead = await deliver([1, 2, 3, 4, 5], invoke, policy());
    expect(dead).toHaveLength(1);
    expect(dead[0]?.records).toEqual([3]);
    expect(String(dead[0]?.error)).toContain("poison 3");
    expect(dead[0]?.attempts).toBe(2);
  });

  it("without bisect dead-letters the whole batch after its retries", async () => {
    const { calls, invoke } = poisonedBy(new Set([2]));
    const dead = await deliver([1, 2, 3], invoke, policy({ bisectOnError: false, maxAttempts: 3 }));
    expect(dead.map((d) => d.records)).toEqual([[1, 2, 3]]);
    expect(calls).toHaveLength(3);
  });

  it("every healthy record is delivered at least once and only poison is dead-lettered", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }),
        fc.func(fc.boolean()),
        async (records, isPoison) => {
          const poison = new Set(records.filter((r) => isPoison(r)));
          const { calls, invoke } = poisonedBy(poison);
          const dead = await deliver(records, invoke, policy());
          const delivered = new Set(calls.filter((b) => !b.some((r) => poison.has(r))).flat());
          expect(dead.flatMap((d) => d.records).sort()).toEqual([...poison].sort());
          for (const r of records) if (!poison.has(r)) expect(delivered.has(r)).toBe(true);
          // Bounded: at most maxAttempts per node of the bisection tree.
          expect(calls.length).toBeLessThanOrEqual(2 * (2 * records.length - 1));
        },
      ),
      { numRuns: 100 },
    );
  });
});
