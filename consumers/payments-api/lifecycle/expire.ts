// The authorization sweeper: an AUTHORIZED payment whose window (per region, config)
// has passed without a capture is canceled with reason `expired`, through the same
// conditional write as cancelPayment, so a capture or cancel racing it wins or loses
// cleanly. Its event id is derived from the payment: a repeated sweep emits nothing new.
import { derivedUuid } from "../../../core/events/derived-id";
import { isAuthorizationExpired } from "../../../core/states";
import type { ApiContext } from "../../api/context";
import { requestLogger } from "../../platform/observability";
import { writeCancellation } from "./cancel";

const PAGE = 100;

/** One sweep over one tenant's AUTHORIZED payments; returns the ids it canceled. */
export async function expireAuthorizations(ctx: ApiContext, tenantId: string): Promise<string[]> {
  const stores = ctx.stores.forTenant(tenantId);
  const now = ctx.now();
  const canceled: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stores.payments.list({ status: "AUTHORIZED" }, PAGE, start);
    for (const payment of page.items) {
      const expiresAt = payment.authorizationExpiresAt;
      if (payment.status !== "AUTHORIZED" || !expiresAt || !isAuthorizationExpired(expiresAt, now)) continue;
      if (payment.capture || payment.cancellation) continue;
      const answer = await writeCancellation(
        ctx,
        stores,
        { ...payment, status: "AUTHORIZED" },
        {
          eventId: derivedUuid("payrail-expire", payment.paymentId),
          reason: "expired",
          principal: "authorization-sweeper",
        },
      );
      if (!answer) continue;
      canceled.push(payment.paymentId);
      requestLogger(ctx.logger, {
        tenantId,
        correlationId: payment.correlationId,
        paymentId: payment.paymentId,
      }).info("authorization expired", { expiresAt });
    }
    start = page.lastKey;
  } while (start);
  return canceled;
}

/** Sweeps every tenant every `intervalMs` until stopped (the local stack; a failed sweep is retried next time). */
export function startAuthorizationSweeper(options: {
  ctx: ApiContext;
  tenantIds: () => readonly string[];
  intervalMs: number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = async () => {
    for (const tenantId of options.tenantIds()) await expireAuthorizations(options.ctx, tenantId);
  };
  const timer = setInterval(() => {
    running = running.then(sweep).catch(options.onError);
  }, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
