// Stripe-like card processor: answers with Stripe's decline_code vocabulary
// (https://docs.stripe.com/declines/codes).
import type { SandboxModule } from "../sandbox";

export const stripeSandbox: SandboxModule = {
  name: "stripe_sandbox",
  paymentType: "CARD",
  nativeCodes: {
    card_declined: "generic_decline",
    insufficient_funds: "insufficient_funds",
    expired_card: "expired_card",
    fraudulent: "fraudulent",
    do_not_honor: "do_not_honor",
    issuer_unavailable: "issuer_not_available",
    processing_error: "processing_error",
    rate_limited: "rate_limit",
    processor_unavailable: "api_connection_error",
  },
};
