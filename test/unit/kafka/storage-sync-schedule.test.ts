import { afterEach, describe, expect, it } from "vitest";
import { type SyncSchedule, syncScheduleFor } from "../../../local/kafka/storage/sync-schedule";

/** Counts syncs started and done; each one takes a while, like an fdatasync. */
function countingFile(syncMs = 2) {
  const file = {
    started: 0,
    syncs: 0,
    sync: async () => {
      file.started++;
      await new Promise((r) => setTimeout(r, syncMs));
      file.syncs++;
    },
  };
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sync schedule", () => {
  let schedule: SyncSchedule | undefined;
  afterEach(async () => {
    await schedule?.close();
    schedule = undefined;
  });

  it("always: a write is acknowledged only after its sync", async () => {
    schedule = syncScheduleFor({ mode: "always" });
    const file = countingFile();
    await schedule.written(file);
    expect(file.syncs).toBe(1);
  });

  it("interval: acknowledges at once and syncs each written file once per tick", async () => {
    schedule = syncScheduleFor({ mode: "interval", intervalMs: 30 });
    const [a, b] = [countingFile(), countingFile()];
    await schedule.written(a);
    await schedule.written(a);
    await schedule.written(b);
    expect(a.syncs + b.syncs).toBe(0);
    for (let i = 0; i < 100 && a.syncs + b.syncs < 2; i++) await sleep(10);
    expect([a.syncs, b.syncs]).toEqual([1, 1]);
    await sleep(100); // nothing written since: no more syncs
    expect([a.syncs, b.syncs]).toEqual([1, 1]);
  });

  it("interval: release syncs a file still waiting, close syncs the rest and stops", async () => {
    schedule = syncScheduleFor({ mode: "interval", intervalMs: 60_000 });
    const [released, left] = [countingFile(), countingFile()];
    await schedule.written(released);
    await schedule.written(left);
    await schedule.release(released);
    await schedule.release(released);
    expect([released.syncs, left.syncs]).toEqual([1, 0]);
    await schedule.close();
    expect([released.syncs, left.syncs]).toEqual([1, 1]);
  });

  it("interval: a file released while a tick syncs another is not synced again by the tick", async () => {
    schedule = syncScheduleFor({ mode: "interval", intervalMs: 20 });
    const [slow, released] = [countingFile(80), countingFile()];
    await schedule.written(slow);
    await schedule.written(released);
    for (let i = 0; i < 100 && slow.started === 0; i++) await sleep(5);
    await schedule.release(released); // closing it: synced now, never touched afterwards
    expect(released.started).toBe(1);
    for (let i = 0; i < 100 && slow.syncs === 0; i++) await sleep(10);
    await sleep(50);
    expect([slow.syncs, released.started]).toEqual([1, 1]);
  });

  it("rejects an interval that is not a positive number", () => {
    expect(() => syncScheduleFor({ mode: "interval", intervalMs: 0 })).toThrow(/positive/);
    expect(() => syncScheduleFor({ mode: "interval", intervalMs: Number.NaN })).toThrow(/positive/);
  });
});
