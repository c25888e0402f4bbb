// When durable files are fdatasynced: before every acknowledgement ("always"), or in the
// background every intervalMs ("interval"), where an append is acknowledged once write()
// handed it to the OS. The page cache survives kill -9 of the broker (Kafka's default,
// flush.messages unbounded); the interval bounds what a power loss could take.
import type { FlushPolicy } from "./types";

export interface Syncable {
  /** fdatasyncs what has been written so far. */
  sync(): Promise<void>;
}

export interface SyncSchedule {
  /** Called after a write cycle reached the OS; resolves when its appends may be acknowledged. */
  written(file: Syncable): Promise<void>;
  /** Syncs the file now if it is waiting for a background sync (before it is closed). */
  release(file: Syncable): Promise<void>;
  /** Final sync of everything written, then no more background syncs. */
  close(): Promise<void>;
}

export const syncEveryWrite: SyncSchedule = {
  written: (file) => file.sync(),
  release: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/** Written files wait in `dirty` for the next tick; a tick never overlaps the previous one. */
class IntervalSync implements SyncSchedule {
  private dirty = new Set<Syncable>();
  private readonly timer: NodeJS.Timeout;
  private tick: Promise<void> | undefined;

  constructor(intervalMs: number) {
    this.timer = setInterval(() => {
      this.tick ??= this.syncDirty().finally(() => {
        this.tick = undefined;
      });
    }, intervalMs);
    // A store left open must not keep the process alive.
    this.timer.unref();
  }

  written(file: Syncable): Promise<void> {
    this.dirty.add(file);
    return Promise.resolve();
  }

  async release(file: Syncable): Promise<void> {
    if (this.dirty.delete(file)) await file.sync();
  }

  /**
   * One file at a time: each fdatasync holds a libuv pool thread (4 by default), and the
   * writes that acknowledge produces must not queue behind a burst of them. A file leaves
   * `dirty` only as its sync starts, so one released (and closed) meanwhile is skipped, and
   * one written again meanwhile is synced once with everything. A failed sync is kept by the
   * file itself (fail-stop), so it is not rethrown here.
   */
  private async syncDirty(): Promise<void> {
    for (const file of [...this.dirty]) {
      if (this.dirty.delete(file)) await file.sync().catch(() => {});
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
    await this.syncDirty();
  }
}

export function syncScheduleFor(policy: FlushPolicy = { mode: "always" }): SyncSchedule {
  if (policy.mode === "always") return syncEveryWrite;
  if (!(Number.isFinite(policy.intervalMs) && policy.intervalMs > 0))
    throw new Error(`flush intervalMs must be a positive number, got ${policy.intervalMs}`);
  return new IntervalSync(policy.intervalMs);
}
