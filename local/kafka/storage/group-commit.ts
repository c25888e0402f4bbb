// Group commit: everything queued while one flush cycle writes is written and fsynced by the
// next cycle, so concurrent appends across partitions share fsyncs instead of queueing them.
// A cycle starts once the previous one's writes are done: its write overlaps the previous
// fdatasync (syncs of one file still run one after another, each covering all written before
// it starts). Each target settles on its own: one failing file does not fail the others'
// appends. Whether a cycle also fdatasyncs is up to its sync schedule (the store's flush policy).
import { type SyncSchedule, syncEveryWrite } from "./sync-schedule";

export interface Flushable {
  /**
   * Writes what is queued. Resolves once it is written, with `durable` when the file still
   * has to sync it as the schedule says (settling once it has); nothing = durable already.
   */
  flushQueued(): Promise<{ durable: Promise<void> } | undefined>;
}

type Pending = { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void };

function pending(): Pending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Index files are flushed without anyone waiting: keep their failures from going unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class GroupCommit {
  private next = new Map<Flushable, Pending>();
  private running = false;

  constructor(readonly syncs: SyncSchedule = syncEveryWrite) {}

  /** Resolves when the cycle that includes everything `target` has queued so far is done. */
  enqueue(target: Flushable): Promise<void> {
    let entry = this.next.get(target);
    if (!entry) {
      entry = pending();
      this.next.set(target, entry);
    }
    if (!this.running) {
      this.running = true;
      // Let the rest of this event-loop turn queue more work into the same cycle.
      setImmediate(() => void this.run());
    }
    return entry.promise;
  }

  private async run(): Promise<void> {
    while (this.next.size > 0) {
      const cycle = this.next;
      this.next = new Map();
      await Promise.all(
        [...cycle].map(([target, entry]) =>
          target.flushQueued().then((written) => {
            if (written) written.durable.then(entry.resolve, entry.reject);
            else entry.resolve();
          }, entry.reject),
        ),
      );
    }
    this.running = false;
  }
}
