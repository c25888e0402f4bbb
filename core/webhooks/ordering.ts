// Per endpoint, one payment's events go out in sequence order: only the lowest-sequence
// pending delivery of an (endpoint, payment) pair may be attempted, and only once every
// earlier event of the payment has reached the webhooks consumer (the four topics are read
// by four mappings, so sequence 3 can arrive before 2). A gap older than `holdMs` (an event
// that was dead-lettered) no longer holds the later ones back.
export type PendingDelivery = {
  deliveryId: string;
  endpointId: string;
  paymentId: string;
  sequence: number;
  createdAtMs: number;
  nextAttemptAtMs: number;
};

export type OrderingInput = {
  /** Sequences of the payment the consumer has recorded so far. */
  seen(paymentId: string): ReadonlySet<number>;
  nowMs: number;
  holdMs: number;
};

function earlierAllSeen(seen: ReadonlySet<number>, sequence: number): boolean {
  for (let s = 1; s < sequence; s++) if (!seen.has(s)) return false;
  return true;
}

/** The deliveries that may be attempted now, oldest first. */
export function dueInOrder<T extends PendingDelivery>(pending: readonly T[], input: OrderingInput): T[] {
  const heads = new Map<string, T>();
  for (const delivery of pending) {
    const lane = `${delivery.endpointId}/${delivery.paymentId}`;
    const head = heads.get(lane);
    if (!head || delivery.sequence < head.sequence) heads.set(lane, delivery);
  }
  return [...heads.values()]
    .filter(
      (head) =>
        head.nextAttemptAtMs <= input.nowMs &&
        (input.nowMs - head.createdAtMs >= input.holdMs ||
          earlierAllSeen(input.seen(head.paymentId), head.sequence)),
    )
    .sort((a, b) => a.nextAttemptAtMs - b.nextAttemptAtMs);
}
