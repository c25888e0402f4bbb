// When a rail settles a refund. A bank rail (SEPA, ACH) moves a refund on its next
// settlement day, so its sandbox answers PENDING until then; cards and instant rails
// answer at once. Pure arithmetic over the personality (config/processors.yaml), shared
// by the sandbox (what it answers) and the sweeper (when to ask again).
import type { Personality } from "./personality";

/** The rail's refund settlement delay in ms (0: answered at once). */
export const refundSettlementMs = (personality: Personality | undefined): number =>
  personality?.refundSettlementMs ?? 0;

/** When a refund requested at `requestedAt` is settled by the rail. */
export function refundSettlesAt(personality: Personality | undefined, requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + refundSettlementMs(personality));
}

/** Whether the rail has settled a refund requested at `requestedAt` by `now`. */
export function isRefundSettled(personality: Personality | undefined, requestedAt: Date, now: Date): boolean {
  return refundSettlesAt(personality, requestedAt).getTime() <= now.getTime();
}

/** Whether the rail refunds a payment that is EXECUTED but not SETTLED yet. */
export const refundsBeforeSettlement = (personality: Personality | undefined): boolean =>
  personality?.refundBeforeSettlement ?? true;

/**
 * The local stack's fast-forward: every non-zero settlement delay becomes `ms`, so a
 * settlement day passes in seconds; rails that answer at once stay so.
 */
export function fastForwardRefundSettlement(
  personalities: ReadonlyMap<string, Personality>,
  ms: number,
): Map<string, Personality> {
  return new Map(
    [...personalities].map(([name, personality]) => [
      name,
      refundSettlementMs(personality) > 0 ? { ...personality, refundSettlementMs: ms } : personality,
    ]),
  );
}
