// Topics each service produces to (docs/architecture.md, "Events"); its role may write
// only these. Consumed topics come from config/pipeline.yaml.
export const PRODUCED_TOPICS: Record<string, string[]> = {
  initiation: ["payments.initiated"],
  "payments-api": ["payments.risk-assessed"],
  risk: ["payments.risk-assessed"],
  execution: ["payments.executed"],
  settlement: ["payments.settled"],
};

/** `consumers/<name>/handler.ts` → `<name>`: the service a handler module belongs to. */
export function serviceOfHandler(handler: string): string {
  const match = /^consumers\/([a-z0-9-]+)\/handler\.ts$/.exec(handler);
  if (!match) throw new Error(`handler ${handler} is not a consumers/<name>/handler.ts module`);
  return match[1];
}
