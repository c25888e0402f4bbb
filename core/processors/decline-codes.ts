// The one table from a normalized decline code to its class, with where each mapping
// comes from. Processors translate their own vocabulary to these codes (each processor's
// folder); routing, failover and the breaker only ever read this table.
//
// Sources:
//   [stripe]      https://docs.stripe.com/declines/codes (decline_code values and next steps)
//   [adyen]       https://docs.adyen.com/development-resources/refusal-reasons/ (refusalReasonCode)
//   [checkout]    https://www.checkout.com/docs/resources/codes/api-response-codes
//                 (20xxx: "declined, though subsequent attempts may succeed"; 30xxx: hard declines)
//   [hyperswitch] https://docs.hyperswitch.io/explore-hyperswitch/payment-flows-and-management/smart-retries
//                 (technical failures are retried on another processor; business declines only without 3DS)
//   [iso20022]    SEPA R-transaction reason codes (EPC guidance on the use of ISO 20022 reason codes)
//   [nacha]       ACH return reason codes (Nacha Operating Rules, appendix 4)

/**
 * APPROVED: the money moved or is held. HARD_DECLINE: the issuer or bank refused the payer
 * itself: another processor reaches the same issuer, so never retried elsewhere.
 * SOFT_DECLINE: this processor could not do it now: eligible for failover. UNKNOWN: no answer
 * (timeout, reset after send): it may have succeeded, so status() decides before anything else.
 */
export type DeclineClass = "APPROVED" | "HARD_DECLINE" | "SOFT_DECLINE" | "UNKNOWN";

export type DeclineCode = {
  class: Exclude<DeclineClass, "APPROVED">;
  /** A fault of the processor rather than an answer about the payer: counts against its health. */
  processorFault: boolean;
  source: string;
};

const hard = (source: string): DeclineCode => ({ class: "HARD_DECLINE", processorFault: false, source });
const soft = (processorFault: boolean, source: string): DeclineCode => ({
  class: "SOFT_DECLINE",
  processorFault,
  source,
});
const unknown = (source: string): DeclineCode => ({ class: "UNKNOWN", processorFault: true, source });

export const DECLINE_CODES = {
  // Cards: the issuer's answer about the cardholder.
  card_declined: hard("[stripe] generic_decline; [adyen] 2 Refused; [checkout] 30xxx hard declines"),
  insufficient_funds: hard(
    "[stripe] insufficient_funds; [adyen] 12 Not enough balance; [checkout] 20051 — the same issuer answers every processor, so failover cannot help (retry later is the payer's business)",
  ),
  expired_card: hard("[stripe] expired_card; [adyen] 6 Expired Card; [checkout] 20054"),
  fraudulent: hard("[stripe] fraudulent (do not retry); [adyen] 20 FRAUD; [checkout] 20059"),
  do_not_honor: soft(
    false,
    "[stripe] do_not_honor; [checkout] 20005 in the 20xxx 'subsequent attempts may succeed' range; [hyperswitch] business decline retried on another processor for non-3DS cards",
  ),
  // Cards: the processor or network could not answer.
  processing_error: soft(true, "[stripe] processing_error (try again); [adyen] 4 Acquirer Error"),
  issuer_unavailable: soft(
    true,
    "[stripe] issuer_not_available (try again); [adyen] 9 Issuer Unavailable; [checkout] 20091",
  ),
  rate_limited: soft(true, "[stripe] HTTP 429 rate_limit; [hyperswitch] technical failure"),
  processor_unavailable: soft(
    true,
    "[hyperswitch] technical failure; HTTP 503 or connection refused: the request never reached processing",
  ),
  // Any rail: no answer.
  timeout: unknown("[hyperswitch] technical failure; the request may have been processed"),
  connection_reset: unknown("a reset after the request was sent: it may have been processed"),
  // Account-to-account rails: the bank's answer about the account.
  account_closed: hard("[iso20022] AC04 closed account; [nacha] R02 account closed"),
  invalid_account: hard("[iso20022] AC01 incorrect account number; [nacha] R04 invalid account number"),
  no_account: hard("[nacha] R03 no account / unable to locate account"),
  pix_key_not_found: hard("PIX DICT: the key is not registered (Banco Central do Brasil)"),
  vpa_not_found: hard("NPCI UPI: invalid VPA"),
  unknown_sort_code: hard("Faster Payments: sort code not reachable (Pay.UK)"),
  bank_unavailable: soft(true, "[iso20022] MS03 reason not specified / TM01 outside service hours"),
} as const satisfies Record<string, DeclineCode>;

export type DeclineCodeName = keyof typeof DECLINE_CODES;

export function declineCode(code: string): DeclineCode {
  // An unknown code from a processor is treated as a soft, processor-side fault: safe to try
  // elsewhere, and it shows in that processor's health.
  return Object.hasOwn(DECLINE_CODES, code)
    ? DECLINE_CODES[code as DeclineCodeName]
    : soft(true, "not in the table: treated as a processor fault");
}
