// Adyen-like card processor: answers with Adyen's refusalReasonCode and refusalReason
// (https://docs.adyen.com/development-resources/refusal-reasons/).
import type { SandboxModule } from "../sandbox";

export const adyenSandbox: SandboxModule = {
  name: "adyen_sandbox",
  paymentType: "CARD",
  nativeCodes: {
    card_declined: "2 Refused",
    insufficient_funds: "12 Not enough balance",
    expired_card: "6 Expired Card",
    fraudulent: "20 FRAUD",
    // Adyen maps the raw issuer answer 05 (do not honor) to the generic Refused.
    do_not_honor: "2 Refused (raw 05)",
    issuer_unavailable: "9 Issuer Unavailable",
    processing_error: "4 Acquirer Error",
    processor_unavailable: "HTTP 503",
  },
};
