// Topics each service produces to (docs/architecture.md, "Events"); its role may write
// only these. Consumed topics come from config/pipeline.yaml.
const OUTBOX_WRITERS = {
  initiation: ["payments.initiated"],
  "payments-api": ["payments.risk-assessed"],
};

export const PRODUCED_TOPICS: Record<string, string[]> = {
  ...OUTBOX_WRITERS,
  risk: ["payments.risk-assessed"],
  // payments.risk-assessed: the PaymentCanceled of a payment canceled before execution.
  execution: ["payments.executed", "payments.risk-assessed"],
  settlement: ["payments.settled"],
  // The outbox relay republishes what the services writing payment outboxes (initiation:
  // PaymentInitiated; payments-api's review: PaymentReviewed) left unpublished.
  "outbox-relay": [...new Set(Object.values(OUTBOX_WRITERS).flat())],
  // The authorization sweeper's PaymentCanceled (consumers/pipeline/routing.ts).
  "auth-sweeper": ["payments.risk-assessed"],
};

/** `consumers/<name>/handler.ts` → `<name>`: the service a handler module belongs to. */
export function serviceOfHandler(handler: string): string {
  const match = /^consumers\/([a-z0-9-]+)\/handler\.ts$/.exec(handler);
  if (!match) throw new Error(`handler ${handler} is not a consumers/<name>/handler.ts module`);
  return match[1];
}
