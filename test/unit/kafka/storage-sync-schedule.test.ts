import { afterEach, describe, expect, it, vi } from "vitest";
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

describe("sync schedule", () => {
  let schedule: SyncSchedule | undefined;
  afterEach(async () => {
    vi.useRealTimers();
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
    vi.useFakeTimers();
    schedule = syncScheduleFor({ mode: "interval", intervalMs: 30 });
    const [a, b] = [countingFile(), countingFile()];
    await schedule.written(a);
    await schedule.written(a);
    await schedule.written(b);
    await vi.advanceTimersByTimeAsync(29);
    expect(a.syncs + b.syncs).toBe(0);
    await vi.advanceTimersByTimeAsync(1 + 2 * 2); // the tick, then both 2 ms syncs
    expect([a.syncs, b.syncs]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(10 * 30); // ten more ticks, nothing written since
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
    vi.useFakeTimers();
    schedule = syncScheduleFor({ mode: "interval", intervalMs: 20 });
    const [slow, released] = [countingFile(80), countingFile()];
    await schedule.written(slow);
    await schedule.written(released);
    await vi.advanceTimersByTimeAsync(20); // the tick starts the slow sync
    expect([slow.started, slow.syncs]).toEqual([1, 0]);
    const releasing = schedule.release(released); // closing it: synced now, never touched afterwards
    await vi.advanceTimersByTimeAsync(2);
    await releasing;
    expect(released.started).toBe(1);
    await vi.advanceTimersByTimeAsync(80 + 5 * 20); // the slow sync ends, five more ticks
    expect([slow.syncs, released.started]).toEqual([1, 1]);
  });

  it("rejects an interval that is not a positive number", () => {
    expect(() => syncScheduleFor({ mode: "interval", intervalMs: 0 })).toThrow(/positive/);
    expect(() => syncScheduleFor({ mode: "interval", intervalMs: Number.NaN })).toThrow(/positive/);
  });
});
