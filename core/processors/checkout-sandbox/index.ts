// Checkout.com-like card processor: answers with its five-digit response codes
// (https://www.checkout.com/docs/resources/codes/api-response-codes; 20xxx soft, 30xxx hard).
import type { SandboxModule } from "../sandbox";

export const checkoutSandbox: SandboxModule = {
  name: "checkout_sandbox",
  paymentType: "CARD",
  nativeCodes: {
    card_declined: "20057 Transaction not permitted to cardholder",
    insufficient_funds: "20051 Insufficient funds",
    expired_card: "20054 Expired card",
    fraudulent: "20059 Suspected fraud",
    do_not_honor: "20005 Declined - Do not honour",
    issuer_unavailable: "20091 Issuer unavailable",
    processing_error: "20006 Error",
    processor_unavailable: "HTTP 503",
  },
};
