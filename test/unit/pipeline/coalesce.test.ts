import { describe, expect, it } from "vitest";
import { coalesce } from "../../../consumers/pipeline/coalesce";

function deferred() {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

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
    await tick();
    expect(sends).toEqual([[1], [2, 3, 4, 5]]);
    gates[1]?.release();
    await Promise.all(calls);
    expect(settled).toEqual([1, 2, 4, 5]);
    expect(maxInFlight).toBe(1);
  });

  it("puts at most maxItems in one send, a larger call alone", async () => {
    const sends: number[][] = [];
    const gate = deferred();
    const send = coalesce<number>(
      async (items) => {
        sends.push(items);
        if (sends.length === 1) await gate.promise;
      },
      { maxItems: 3 },
    );
    const calls = [send([0]), send([1, 2]), send([3]), send([4, 5, 6, 7]), send([8])];
    gate.release();
    await Promise.all(calls);
    expect(sends).toEqual([[0], [1, 2, 3], [4, 5, 6, 7], [8]]);
  });

  it("when a shared send fails, sends each of its calls alone: only the one that still fails rejects", async () => {
    const gate = deferred();
    const sends: string[][] = [];
    const send = coalesce<string>(async (items) => {
      sends.push(items);
      if (sends.length === 1) await gate.promise;
      if (items.includes("bad")) throw new Error("broker said no");
    });
    const first = send(["ok-1"]);
    const second = send(["bad"]);
    const third = send(["ok-2"]);
    gate.release();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow("broker said no");
    await expect(third).resolves.toBeUndefined();
    expect(sends).toEqual([["ok-1"], ["bad", "ok-2"], ["bad"], ["ok-2"]]);
    await expect(send(["ok-3"])).resolves.toBeUndefined();
  });
});
