// The paymentsApi data source: one Lambda for the reads and the review mutations.

import { loadConfig, type PayrailConfig } from "../../core/config";
import type { ApiContext, ApiHandler } from "../api/context";
import { asResponse } from "../api/contract";
import { paymentAttempts } from "./attempts";
import { cancelPayment } from "./lifecycle/cancel";
import { capturePayment } from "./lifecycle/capture";
import { refund, refundPayment } from "./lifecycle/refund";
import { payment, paymentEvents, payments } from "./queries";
import { review } from "./review";
import { routingPreview } from "./routing-preview";

/** config/ as bundled (PAYRAIL_CONFIG_DIR), read once on first use. */
function bundledConfig(): () => Promise<PayrailConfig> {
  let loaded: Promise<PayrailConfig> | undefined;
  return () => {
    loaded ??= loadConfig(process.env.PAYRAIL_CONFIG_DIR ?? "config").catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}

export function createPaymentsApiHandler(
  ctx: ApiContext,
  config: () => Promise<PayrailConfig> = bundledConfig(),
): ApiHandler {
  const fields: Record<string, ApiHandler> = {
    payment: (request) => payment(ctx, request),
    payments: (request) => payments(ctx, request),
    paymentEvents: (request) => paymentEvents(ctx, request),
    routingPreview: (request) => routingPreview(config, request),
    "Payment.attempts": (request) => paymentAttempts(ctx, config, request),
    approvePayment: (request) => review(ctx, request, "APPROVE"),
    declinePayment: (request) => review(ctx, request, "DECLINE"),
    capturePayment: (request) => capturePayment(ctx, request),
    cancelPayment: (request) => cancelPayment(ctx, request),
    refundPayment: (request) => refundPayment(ctx, request, config),
    refund: (request) => refund(ctx, request),
  };
  return async (request) => {
    const field = Object.hasOwn(fields, request.field) ? fields[request.field] : undefined;
    if (!field) throw new Error(`paymentsApi does not serve ${request.field}`);
    try {
      return await field(request);
    } catch (error) {
      return asResponse(error);
    }
  };
}
