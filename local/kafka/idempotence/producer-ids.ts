/**
 * Producer ids that never repeat across restarts without persisting a counter: each id is at
 * least the wall clock in microsecond-like units (ms × 1000), and above every id seen in the
 * log when the broker started. Repeating would take >1000 ids per ms before a restart or a
 * clock that jumps backwards further than the log's newest producer.
 */
export class ProducerIdAllocator {
  constructor(private last: bigint = -1n) {}

  /** Raises the floor to an id found in the log. */
  observe(producerId: bigint): void {
    if (producerId > this.last) this.last = producerId;
  }

  next(nowMs = Date.now()): bigint {
    const floor = BigInt(nowMs) * 1000n;
    this.last = this.last + 1n > floor ? this.last + 1n : floor;
    return this.last;
  }
}
