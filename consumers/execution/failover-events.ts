// The events of a failover, derived from the attempts alone so that a redelivery (or the
// live publish during the route and the final one after it) yields the very same events:
// for each attempt followed by another, PaymentAttemptFailed, then PaymentRouted naming the
// processor tried next. Each follows the one before it, so their sequences are contiguous
// and the outcome (PaymentExecuted, ...) follows the last of them.
import type { EventEnvelope } from "../../core/events";
import { followUpEvent } from "../../core/events/follow-up";
import type { AttemptRecord } from "../../core/routing";

export function failoverEvents(
  approval: EventEnvelope,
  attempts: readonly AttemptRecord[],
  ruleId: string,
): EventEnvelope<"PaymentAttemptFailed" | "PaymentRouted">[] {
  const events: EventEnvelope<"PaymentAttemptFailed" | "PaymentRouted">[] = [];
  let cause: EventEnvelope = approval;
  for (const [index, failed] of attempts.slice(0, -1).entries()) {
    const next = attempts[index + 1] as AttemptRecord;
    const attemptFailed = followUpEvent(cause, "PaymentAttemptFailed", {
      status: "RISK_APPROVED",
      processor: failed.processor,
      attempt: failed.attempt,
      // Only a soft decline (or a lost answer the processor never received) is followed by another.
      declineCode: failed.code ?? "unknown",
      declineClass: failed.state === "HARD_DECLINE" ? "HARD" : "SOFT",
      ruleId,
    });
    const routed = followUpEvent(attemptFailed, "PaymentRouted", {
      status: "RISK_APPROVED",
      processor: next.processor,
      attempt: next.attempt,
      ruleId,
    });
    events.push(attemptFailed, routed);
    cause = routed;
  }
  return events;
}
