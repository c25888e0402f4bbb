/** Wakes long-polling Fetch requests when a partition they wait on receives records. */
export class AppendNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  private static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  /** Calls `wake` once, on the first append to any of `partitions`; returns a cancel function. */
  once(partitions: readonly { topic: string; partition: number }[], wake: () => void): () => void {
    const keys = partitions.map((p) => AppendNotifier.key(p.topic, p.partition));
    const cancel = () => {
      for (const k of keys) {
        const set = this.waiters.get(k);
        set?.delete(fire);
        if (set?.size === 0) this.waiters.delete(k);
      }
    };
    const fire = () => {
      cancel();
      wake();
    };
    for (const k of keys) {
      const set = this.waiters.get(k) ?? new Set();
      this.waiters.set(k, set);
      set.add(fire);
    }
    return cancel;
  }

  appended(topic: string, partition: number): void {
    const set = this.waiters.get(AppendNotifier.key(topic, partition));
    if (set) for (const fire of [...set]) fire();
  }

  /** Wakes everyone (broker stopping). */
  wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const fire of [...set]) fire();
  }
}
