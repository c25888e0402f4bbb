// Group commit: everything queued while one flush cycle runs is written and fsynced by the
// next cycle, so concurrent appends across partitions share fsyncs instead of queueing them.

export interface Flushable {
  /** Writes what is queued and, for durable files, fdatasyncs it. */
  flushQueued(): Promise<void>;
}

type Cycle = { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void };

function newCycle(): Cycle {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed cycle is reported to every appender; this keeps an unobserved one quiet.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class GroupCommit {
  private queued = new Set<Flushable>();
  private next: Cycle | undefined;
  private running = false;

  /** Resolves when the cycle that includes everything `target` has queued so far is done. */
  enqueue(target: Flushable): Promise<void> {
    this.queued.add(target);
    this.next ??= newCycle();
    if (!this.running) {
      this.running = true;
      // Let the rest of this event-loop turn queue more work into the same cycle.
      setImmediate(() => void this.run());
    }
    return this.next.promise;
  }

  private async run(): Promise<void> {
    while (this.next) {
      const cycle = this.next;
      const targets = [...this.queued];
      this.next = undefined;
      this.queued.clear();
      try {
        await Promise.all(targets.map((t) => t.flushQueued()));
        cycle.resolve();
      } catch (error) {
        cycle.reject(error);
      }
    }
    this.running = false;
  }
}
