// A weighted volume split: the primary drawn per payment (deterministic, so a redelivery
// routes the same way), the others after it by descending weight as failover candidates.
// Without a payment (a preview) nothing is drawn: the order is by descending weight.
import { uniform } from "../processors/draw";
import type { WeightedProcessor } from "./types";

export function splitOrder(
  split: readonly WeightedProcessor[],
  ruleId: string,
  paymentId: string | null,
): string[] {
  const byWeight = [...split].sort((a, b) => b.weight - a.weight);
  if (paymentId === null) return byWeight.map((entry) => entry.processor);
  const total = split.reduce((sum, entry) => sum + entry.weight, 0);
  const point = uniform("split", ruleId, paymentId) * total;
  let cumulative = 0;
  const primary =
    split.find((entry) => {
      cumulative += entry.weight;
      return point < cumulative;
    }) ?? split[split.length - 1];
  const rest = byWeight.filter((entry) => entry !== primary);
  return [primary, ...rest].flatMap((entry) => (entry ? [entry.processor] : []));
}
