import { describe, expect, it } from "vitest";
import { coalesce } from "../../../consumers/shared/kafka/coalesce";

function deferred() {
  let release = () => {};
  let fail: (error: unknown) => void = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return { promise, release, fail };
}

describe("coalesce", () => {
  it("keeps one send in flight and carries every call made meanwhile in the next one", async () => {
    const sends: number[][] = [];
    const gates = [deferred(), deferred()];
    let inFlight = 0;
    let maxInFlight = 0;
    const send = coalesce<number>(async (items) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sends.push(items);
      await gates[sends.length - 1]?.promise;
      inFlight--;
    });
    const settled: number[] = [];
    const calls = [[1], [2, 3], [4], [5]].map((items) => send(items).then(() => settled.push(items[0] ?? 0)));
    await Promise.resolve();
    expect(sends).toEqual([[1]]);
    gates[0]?.release();
    await calls[0];
    expect(settled).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sends).toEqual([[1], [2, 3, 4, 5]]);
    gates[1]?.release();
    await Promise.all(calls);
    expect(settled).toEqual([1, 2, 4, 5]);
    expect(maxInFlight).toBe(1);
  });

  it("fails exactly the calls whose send failed, and goes on with the next", async () => {
    const gate = deferred();
    let attempt = 0;
    const send = coalesce<string>(async (items) => {
      attempt++;
      if (attempt === 1) await gate.promise;
      if (items.includes("bad")) throw new Error("broker said no");
    });
    const first = send(["ok-1"]);
    const second = send(["bad"]);
    const third = send(["ok-2"]);
    gate.release();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow("broker said no");
    // "bad" and "ok-2" travelled together, so both carry the failure.
    await expect(third).rejects.toThrow("broker said no");
    await expect(send(["ok-3"])).resolves.toBeUndefined();
    expect(attempt).toBe(3);
  });
});
