// The refunds whose answer waits (consumers/execution/refund-outcome): a bank rail's,
// PENDING at the rail until its settlement day, and one asked for while the payment was
// EXECUTED, whose answer must follow SETTLED. Both stay PENDING on the payment row, which
// is what makes them durable; once one is due (the rail's settlement delay after it was
// asked for, config/processors.yaml; a pre-settlement one as soon as the payment is
// SETTLED) the sweep publishes its RefundRequested again, the very event from the
// payment's history. Execution asks the rail again with the same key and publishes the
// answer. Each ask is claimed on the refund first (`askedAt`, a conditional write), so a
// refund is asked again at most once per in-progress window (the API's, 30 s) however many
// sweeps run: its answer is not published twice while the first is on its way (a second
// one would change nothing, but would be a second settlement line).
//
// It reads only the rows with a refund waiting: the refund store lists a row in a sparse
// index when it reserves such a refund (RefundStore.listWaiting), so a sweep's cost follows
// the refunds waiting, not the tenant's settled payments. A row listed whose refunds were all
// answered since is unlisted here (the answer cannot do it in its own write); one still
// EXECUTED (a refund asked for before settlement) stays listed and waits for its SETTLED.
import type { EventEnvelope } from "../../core/events";
import type { Personality } from "../../core/processors";
import { isRefundSettled, refundSettlementMs } from "../../core/processors";
import type { ApiContext } from "../api/context";
import type { PaymentRecord, RefundRecord } from "../persistence/ports/payments";
import { requestLogger } from "../platform/observability";

/** Rows per page: one index Query and one BatchGetItem (at most 100 keys) each. */
const PAGE = 100;

/**
 * Whether a PENDING refund of a SETTLED payment waits for the sweep and is due by `now`,
 * not asked again since `askedBefore`. A pre-settlement refund counts its request as an ask:
 * its first answer may still be on its way, when execution took it after SETTLED.
 */
export function isRefundDue(
  refund: RefundRecord,
  personality: Personality | undefined,
  now: Date,
  askedBefore: string,
): boolean {
  if (refund.status !== "PENDING") return false;
  if (refund.askedAt && refund.askedAt >= askedBefore) return false;
  if (refund.beforeSettlement) return refund.createdAt < askedBefore;
  return refundSettlementMs(personality) > 0 && isRefundSettled(personality, new Date(refund.createdAt), now);
}

/** One sweep over one tenant's payments with a refund waiting; returns the ids of the refunds it asked again. */
export async function republishDueRefunds(
  ctx: ApiContext,
  tenantId: string,
  personalities: ReadonlyMap<string, Personality>,
): Promise<string[]> {
  const stores = ctx.stores.forTenant(tenantId);
  const now = ctx.now();
  const askedBefore = new Date(now.getTime() - ctx.inProgressMs).toISOString();
  const asked: string[] = [];
  let start: string | undefined;
  do {
    const page = await stores.refunds.listWaiting(PAGE, start);
    for (const payment of page.items) {
      if (!payment.refundsWaiting) {
        await stores.refunds.unlistIfNoneWaiting(payment.paymentId);
        continue;
      }
      const due = dueRefunds(payment, personalities, now, askedBefore);
      if (due.length === 0) continue;
      const history = await stores.history.list(payment.paymentId);
      const requests: EventEnvelope[] = [];
      for (const refund of due) {
        const request = history.find(
          (event) => event.type === "RefundRequested" && event.eventId === refund.eventId,
        );
        // A request not in the history yet has not reached the status service: the next sweep.
        if (!request) continue;
        const claimed = await stores.refunds.claimAskAgain(
          payment.paymentId,
          refund.refundId,
          now.toISOString(),
          askedBefore,
        );
        if (claimed) requests.push(request);
      }
      if (requests.length === 0) continue;
      await ctx.publisher.publish(requests);
      const log = requestLogger(ctx.logger, {
        tenantId,
        correlationId: payment.correlationId,
        paymentId: payment.paymentId,
      });
      for (const event of requests) {
        const refundId = (event.data as { refundId: string }).refundId;
        asked.push(refundId);
        log.info("refund asked again", { refundId, processor: payment.processor });
      }
    }
    start = page.cursor;
  } while (start);
  return asked;
}

function dueRefunds(
  payment: PaymentRecord,
  personalities: ReadonlyMap<string, Personality>,
  now: Date,
  askedBefore: string,
): RefundRecord[] {
  if (payment.status !== "SETTLED" || !payment.refunds) return [];
  const personality = payment.processor ? personalities.get(payment.processor) : undefined;
  return Object.values(payment.refunds).filter((refund) =>
    isRefundDue(refund, personality, now, askedBefore),
  );
}
